/**
 * Runtime configuration of the Lambda handlers, read ONCE from the environment and validated. Each
 * function has one zod schema (FUNCTION_ENV), composed from the shared parts below; a missing or bad
 * value fails the cold start with a message that names it. Nothing else in functions/ reads
 * process.env: the handlers call loadFunctionConfig(role) and hand the result to the composition
 * root (functions/adapters/compose.ts).
 *
 * The CDK stack sets exactly these variables per function, each together with the grant it needs
 * (infra/constructs/bindings.ts); test/infra/function-env.test.ts compares the two.
 */
import { z } from 'zod';
import { ConfigError } from './domain/errors.js';
import { isIanaZone } from '../workflows/schedule.js';

const csv = z
  .string()
  .optional()
  .transform((s) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [],
  );

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

/** A Russian settlement account (расчётный счёт): 20 digits. */
export const SETTLEMENT_ACCOUNT_RE = /^\d{20}$/;

function jsonOf<T extends z.ZodType>(schema: T, shape: string) {
  return z.string().transform((s, ctx): z.output<T> => {
    try {
      return schema.parse(JSON.parse(s));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `must be JSON ${shape}: ${(err as Error).message}` });
      return z.NEVER;
    }
  });
}

// ------------------------------------------------------------------------------------------------
// Shared parts. Each is a plain object of fields so a function's schema is the spread of its parts.

/** The ledger table. */
export const TABLE = { TABLE_NAME: z.string().min(1) };
/** The documents bucket (letters, packages, statements, archive). */
export const DOCUMENTS = { BUCKET_NAME: z.string().min(1) };
/** The company's time zone: business dates are calendar dates in it. */
export const TIME_ZONE = {
  COMPANY_TIME_ZONE: z.string().refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' }).default('Europe/Moscow'),
};
/** The company requisites printed on letters and statements (JSON, zCompany). */
export const COMPANY = { COMPANY_REQUISITES: jsonOf(zCompany, '{name, inn, legalAddress, postalAddress, bank, signatory, ...}') };
/** The dunning policy preset and its segment and customer overrides. */
export const POLICY = {
  DUNNING_POLICY: z.enum(['wholesale', 'housing']).default('wholesale'),
  /** Segment and customer overrides of the preset: JSON {"segments": {...}, "customers": {...}} (validated by the policy schema). */
  DUNNING_POLICY_OVERRIDES: jsonOf(
    z.object({ segments: z.record(z.string(), z.unknown()).optional(), customers: z.record(z.string(), z.unknown()).optional() }),
    '{"segments": {...}, "customers": {...}}',
  ).optional(),
};
/** Sending letters through SES. */
export const SENDER = {
  SES_FROM_ADDRESS: z.email(),
  SES_CONFIGURATION_SET: z.string().min(1),
};
/** Rendering letters: where the bundle carries the templates (default: templates/ of the repository). */
export const TEMPLATES = { CLAIMFLOW_TEMPLATES_DIR: z.string().min(1).optional() };
/** Key rates, moratoria and caps beyond the embedded ones: a JSON rules document in SSM Parameter Store. */
export const RULES = { RULES_PARAMETER_NAME: z.string().startsWith('/').optional() };
/** Who receives the legal team's copies of claim letters and notices (default: the digest recipients). */
export const LEGAL_TEAM = { LEGAL_TEAM_RECIPIENTS: csv };
/** Who receives the run digest. */
export const DIGEST = { DIGEST_RECIPIENTS: csv };
/** The ClaimCase state machine (started by process-customer; answered by operator-api). */
export const CLAIM_CASE_MACHINE = { CLAIM_CASE_STATE_MACHINE_ARN: z.string().startsWith('arn:') };
/** The DunningRun state machine. */
export const RUN_MACHINE = { STATE_MACHINE_ARN: z.string().startsWith('arn:') };
/** The application DLQ (references to archived payloads whose processing failed). */
export const FAILED_PAYLOADS = { DLQ_URL: z.url() };
/**
 * The company's settlement accounts (comma-separated, 20 digits each): bank-statement payments into
 * other accounts are skipped. Empty (default): the accounts the statement itself lists.
 */
export const BANK_ACCOUNTS = {
  COMPANY_ACCOUNTS: csv.pipe(z.array(z.string().regex(SETTLEMENT_ACCOUNT_RE, { message: 'each account must be 20 digits' }))),
};

/** Report settings (targets, buckets): JSON validated by functions/domain/reports/config.ts; default when unset. */
export const REPORTS = { REPORTS_CONFIG: z.string().optional() };

/**
 * Reports as jobs (functions/app/report-jobs.ts). REPORT_SYNC_BUDGET_MS: how long the synchronous
 * GET /operator/reports/{name} may read the ledger before it stops and answers REPORT_NEEDS_JOB (run it
 * as a job): below API Gateway's 29 s with room for computing and rendering what was read; 0 sends
 * every report that reads the ledger to a job. REPORT_WORKER_FUNCTION: the function that builds report
 * jobs (weekly-summary), invoked asynchronously; absent: built in this process.
 */
export const REPORT_JOBS = {
  REPORT_SYNC_BUDGET_MS: z.coerce.number().int().min(0).max(25_000).default(20_000),
  REPORT_WORKER_FUNCTION: z.string().min(1).optional(),
};

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/**
 * Credit control (docs/credit.md) in every function that changes what a credit snapshot is computed from
 * (ledger writes, letters, operator actions) or serves checks: how holds start, where outgoing events go
 * (each becomes a pending delivery in the table; the credit-jobs function delivers them every minute),
 * and which IAM principals hold which roles.
 */
export const CREDIT = {
  /** `days-overdue` (default: the policy's) or `warning-deadline` (docs/credit.md "When a hold starts"). */
  CREDIT_HOLD_START: z.enum(['days-overdue', 'warning-deadline']).optional(),
  /** Order-system URLs that receive the signed event webhook (comma-separated https URLs). */
  CREDIT_WEBHOOK_URLS: csv.pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /** "on": every event is also delivered to EventBridge (the credit-jobs function knows the bus). */
  CREDIT_EVENTBRIDGE: z.enum(['on', 'off']).default('off'),
  /** IAM principal (ARN or suffix such as "role/sales-head") → roles, JSON {"role/sales-head": ["head_of_sales"]}. */
  CREDIT_PRINCIPAL_ROLES: jsonOf(
    z.record(z.string(), z.array(z.enum(['clerk', 'legal', 'head_of_sales', 'finance', 'admin']))),
    '{"<principal>": ["head_of_sales", …]}',
  ).optional(),
  /** The credit policy (matrix, defaults, discipline thresholds) as JSON; default: the embedded policy. */
  CREDIT_POLICY: jsonOf(z.record(z.string(), z.unknown()), '{name, version, …} (functions/domain/credit/policy.ts)').optional(),
};

/** The signing secrets of credit control: the "credit" keys of the webhook secret document (Secrets Manager). */
export const CREDIT_SECRETS = {
  WEBHOOK_SECRETS_ARN: z.string().startsWith('arn:'),
  WEBHOOK_SECRETS_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
};

/** The webhook function's own part: archive, signing secrets (Secrets Manager and/or local lists), YooKassa allowlist. */
export const WEBHOOK = {
  /** Key prefix of archived payloads (default "archive/"). */
  ARCHIVE_PREFIX: z.string().default('archive/'),
  /** Secrets Manager secret with the signing secrets. Required unless BILLING_WEBHOOK_SECRETS is set. */
  WEBHOOK_SECRETS_ARN: z.string().startsWith('arn:').optional(),
  /** How long a warm instance keeps the secret document before reading it again (seconds). */
  WEBHOOK_SECRETS_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  BILLING_WEBHOOK_SECRETS: list.optional(),
  STRIPE_WEBHOOK_SECRETS: list.optional(),
  CLOUDPAYMENTS_API_SECRETS: list.optional(),
  /** Comma-separated CIDRs; default YooKassa's published ranges; "none" disables /webhooks/yookassa. */
  YOOKASSA_ALLOWLIST: list.optional(),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
};

// ------------------------------------------------------------------------------------------------
// One schema per function (the keys are the roles of infra/constructs/functions.ts HANDLERS).

export const FUNCTION_ENV = {
  webhook: z.object({ ...TABLE, ...DOCUMENTS, ...FAILED_PAYLOADS, ...TIME_ZONE, ...WEBHOOK, ...POLICY, ...CREDIT }).superRefine((e, ctx) => {
    if (!e.WEBHOOK_SECRETS_ARN && !e.BILLING_WEBHOOK_SECRETS?.length) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRETS_ARN'], message: 'is not set (nor BILLING_WEBHOOK_SECRETS): no way to verify billing signatures' });
    }
  }),
  operatorApi: z.object({
    ...TABLE,
    ...DOCUMENTS,
    ...TIME_ZONE,
    ...COMPANY,
    ...POLICY,
    ...TEMPLATES,
    ...RULES,
    ...LEGAL_TEAM,
    ...RUN_MACHINE,
    ...BANK_ACCOUNTS,
    /** IAM principals (ARNs or suffixes such as "user/lawyer") that hold the legal role for claim-case approval. */
    LEGAL_ROLE_PRINCIPALS: csv,
    /** Where archived webhook payloads live: replay reads nothing outside it. */
    ARCHIVE_PREFIX: z.string().default('archive/'),
    ...REPORTS,
    ...CREDIT,
    /** The function that builds litigation packages (claim-case), invoked asynchronously; absent: built in this process. */
    PACKAGE_WORKER_FUNCTION: z.string().min(1).optional(),
    ...REPORT_JOBS,
  }),
  bankImport: z.object({ ...TABLE, ...BANK_ACCOUNTS, ...TIME_ZONE, ...POLICY, ...CREDIT }),
  startRun: z.object({ ...RUN_MACHINE, ...TIME_ZONE }),
  findDebtors: z.object({ ...TABLE, ...POLICY }),
  processCustomer: z.object({
    ...TABLE,
    ...DOCUMENTS,
    ...TIME_ZONE,
    ...COMPANY,
    ...POLICY,
    ...SENDER,
    ...TEMPLATES,
    ...RULES,
    ...LEGAL_TEAM,
    ...DIGEST,
    ...CLAIM_CASE_MACHINE,
    ...CREDIT,
  }),
  summarizeRun: z.object({
    ...TABLE,
    ...DOCUMENTS,
    ...TIME_ZONE,
    ...COMPANY,
    ...POLICY,
    ...SENDER,
    ...TEMPLATES,
    ...DIGEST,
    ENVELOPE_FORMAT: z.enum(['DL', 'C5']).default('DL'),
  }),
  sesFeedback: z.object({ ...TABLE }),
  claimCase: z.object({ ...TABLE, ...DOCUMENTS, ...TIME_ZONE, ...COMPANY, ...TEMPLATES, ...RULES }),
  /** POST /credit/checks and /credit/reservations (HMAC with the secret document's "credit" keys). */
  creditApi: z.object({ ...TABLE, ...TIME_ZONE, ...POLICY, ...CREDIT, ...CREDIT_SECRETS }),
  /** The credit schedules (workflows/credit-schedule.ts): event delivery and the snapshot sweep. */
  creditJobs: z.object({
    ...TABLE,
    ...TIME_ZONE,
    ...POLICY,
    ...CREDIT,
    ...CREDIT_SECRETS,
    /** The EventBridge bus outgoing credit events go to (source claimflow.credit). */
    CREDIT_EVENT_BUS: z.string().min(1).optional(),
  }),
  weeklySummary: z.object({ ...TABLE, ...DOCUMENTS, ...TIME_ZONE, ...COMPANY, ...SENDER, ...DIGEST, ...REPORTS, ...TEMPLATES }),
} as const;
export type FunctionRole = keyof typeof FUNCTION_ENV;
export type FunctionConfig<R extends FunctionRole> = z.output<(typeof FUNCTION_ENV)[R]>;

/**
 * Variables every function gets from the stack that no claimflow code reads: the Lambda runtime,
 * Node and Powertools read them (service name, log level, source maps).
 */
export const PLATFORM_ENV = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'NODE_OPTIONS'] as const;

/** The variables a function's schema reads (for the stack/schema cross-check). */
export function envKeysOf(role: FunctionRole): string[] {
  const schema = FUNCTION_ENV[role] as z.ZodType;
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? (schema as unknown as { def: { in?: { shape: Record<string, unknown> } } }).def.in?.shape;
  return Object.keys(shape ?? {});
}

/** Validates the environment of one function (the one process.env read in functions/). Throws ConfigError naming each bad or missing variable. */
export function loadFunctionConfig<R extends FunctionRole>(role: R, env: Record<string, string | undefined> = process.env): FunctionConfig<R> {
  const parsed = (FUNCTION_ENV[role] as z.ZodType).safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.input === undefined && i.code !== 'custom' ? 'is not set' : i.message}`);
    throw new ConfigError(`${role} configuration invalid: ${issues.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data as FunctionConfig<R>;
}
