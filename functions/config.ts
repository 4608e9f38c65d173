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

const zPostal = z.object({ postalCode: z.string().optional(), country: z.string().optional(), city: z.string().min(1), line1: z.string().min(1), line2: z.string().optional() });
/** Company requisites printed on letters (the shape functions/letters expects). */
export const zCompany = z.object({
  name: z.string().min(1),
  inn: z.string().regex(/^\d{10}(\d{2})?$/, { message: 'INN must be 10 or 12 digits' }),
  kpp: z.string().optional(),
  ogrn: z.string().optional(),
  legalAddress: z.string().min(1),
  postalAddress: zPostal,
  phone: z.string().optional(),
  email: z.string().optional(),
  bank: z.object({ name: z.string().min(1), bik: z.string().min(1), account: z.string().min(1), corrAccount: z.string().optional() }),
  signatory: z.object({ name: z.string().min(1), title: z.string().min(1) }),
  /** The requisites in English for English letters: name, addresses, bank name, signatory. */
  locales: z
    .object({
      en: z
        .object({
          name: z.string().min(1).optional(),
          legalAddress: z.string().min(1).optional(),
          postalAddress: zPostal.optional(),
          bank: z.object({ name: z.string().min(1) }).optional(),
          signatory: z.object({ name: z.string().min(1), title: z.string().min(1) }).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Outgoing reference prefix per letter language (default ru "ИСХ", en "REF"). */
  referencePrefix: z.object({ ru: z.string().min(1).max(10).optional(), en: z.string().min(1).max(10).optional() }).optional(),
});
export type Company = z.infer<typeof zCompany>;

export const DEFAULT_COMPANY: Company = {
  name: 'ООО «Пример Поставки»',
  inn: '7701234567',
  kpp: '770101001',
  ogrn: '1027700000000',
  legalAddress: '101000, г. Москва, ул. Примерная, д. 1',
  postalAddress: { postalCode: '101000', country: 'Россия', city: 'Москва', line1: 'ул. Примерная, д. 1' },
  phone: '+7 495 000-00-00',
  email: 'collections@example.com',
  bank: { name: 'АО «Банк»', bik: '044525000', account: '40702810900000000001', corrAccount: '30101810400000000225' },
  signatory: { name: 'И. И. Иванов', title: 'Генеральный директор' },
  locales: {
    en: {
      name: 'Primer Postavki LLC',
      legalAddress: '1 Primernaya St., Moscow 101000, Russia',
      postalAddress: { postalCode: '101000', country: 'Russia', city: 'Moscow', line1: '1 Primernaya St.' },
      bank: { name: 'Bank JSC' },
      signatory: { name: 'I. I. Ivanov', title: 'General Director' },
    },
  },
  referencePrefix: { ru: 'ИСХ', en: 'REF' },
};

export const zRuntimeEnv = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1).optional(),
  DLQ_URL: z.string().url().optional(),
  STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  CLAIM_CASE_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  COMPANY_TIME_ZONE: z.string().refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' }).default('Europe/Moscow'),
  SES_FROM_ADDRESS: z.email().optional(),
  SES_CONFIGURATION_SET: z.string().optional(),
  DIGEST_RECIPIENTS: csv,
  LEGAL_TEAM_RECIPIENTS: csv,
  /** IAM principals (ARNs or suffixes such as "user/lawyer") that hold the legal role for claim-case approval. */
  LEGAL_ROLE_PRINCIPALS: csv,
  COMPANY_REQUISITES: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return DEFAULT_COMPANY;
      try {
        return zCompany.parse(JSON.parse(s));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be JSON {name, inn, legalAddress, postalAddress, bank, signatory, ...}: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  DUNNING_POLICY: z.enum(['wholesale', 'housing']).default('wholesale'),
  /** Segment and customer overrides of the preset: JSON {"segments": {...}, "customers": {...}} (validated by the policy schema). */
  DUNNING_POLICY_OVERRIDES: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        return JSON.parse(s) as { segments?: Record<string, unknown>; customers?: Record<string, unknown> };
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be JSON {"segments": {...}, "customers": {...}}: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  ENVELOPE_FORMAT: z.enum(['DL', 'C5']).default('DL'),
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
