/**
 * Runtime configuration of the Lambda handlers (and the local stack), read ONCE from the environment
 * and validated. A missing or bad value fails at start with a message that names it.
 */
import { z } from 'zod';
import { ConfigError } from './domain/errors.js';
import { isIanaZone } from '../workflows/schedule.js';

const csv = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));

export const zCompany = z.object({
  name: z.string().min(1),
  taxId: z.string().optional(),
  kpp: z.string().optional(),
  address: z.string().optional(),
  bankAccount: z.string().optional(),
  bankName: z.string().optional(),
  bik: z.string().optional(),
  signatory: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type Company = z.infer<typeof zCompany>;

export const DEFAULT_COMPANY: Company = {
  name: 'ООО «Пример Поставки»',
  taxId: '7701234567',
  kpp: '770101001',
  address: '101000, г. Москва, ул. Примерная, д. 1',
  bankAccount: '40702810900000000001',
  bankName: 'АО «Банк»',
  bik: '044525000',
  signatory: 'Генеральный директор И. И. Иванов',
  phone: '+7 495 000-00-00',
  email: 'collections@example.com',
};

export const zRuntimeEnv = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1).optional(),
  DLQ_URL: z.string().url().optional(),
  STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  COMPANY_TIME_ZONE: z.string().refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' }).default('Europe/Moscow'),
  SES_FROM_ADDRESS: z.email().optional(),
  SES_CONFIGURATION_SET: z.string().optional(),
  DIGEST_RECIPIENTS: csv,
  LEGAL_TEAM_RECIPIENTS: csv,
  COMPANY_REQUISITES: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return DEFAULT_COMPANY;
      try {
        return zCompany.parse(JSON.parse(s));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be JSON {name, taxId, kpp, address, ...}: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  DUNNING_POLICY: z.enum(['wholesale', 'housing']).default('wholesale'),
});
export type RuntimeConfig = z.infer<typeof zRuntimeEnv>;

export function loadConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = zRuntimeEnv.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}

/** The names that are required, for messages. */
export function requireSetting<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === null || (typeof value === 'string' && value === '')) {
    throw new ConfigError(`invalid configuration: ${name} is required`);
  }
  return value;
}
