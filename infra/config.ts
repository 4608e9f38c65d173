/**
 * Deployment configuration, read from CDK context (cdk.json "context" or `-c claimflow:key=value`)
 * and validated with zod. A missing or bad value fails synth with a message that names the context
 * key, e.g. `claimflow:timeZone must be an IANA time zone such as Europe/Moscow (got "Mars/Base")`.
 *
 * Values given on the command line arrive as strings, so numbers, booleans and lists are coerced:
 * `-c claimflow:runHour=10`, `-c claimflow:retainData=false`, `-c claimflow:digestRecipients=a@x.ru,b@x.ru`.
 */
import { isIP } from 'node:net';
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { zCompany, type Company } from '../functions/config.js';
import { PRESETS, parsePolicyConfig } from '../functions/domain/policy/index.js';
import { DEFAULT_SCHEDULE, isIanaZone, type ScheduleConfig } from '../workflows/schedule.js';
import { MAX_CONCURRENCY, MAX_CONCURRENCY_LIMIT } from '../workflows/dunning-run.js';

export const CONTEXT_PREFIX = 'claimflow:';

/** Every context key, its default and what it means (docs/deploy.md lists the same). */
export const CONTEXT_KEYS = {
  stage: 'claimflow:stage',
  timeZone: 'claimflow:timeZone',
  runHour: 'claimflow:runHour',
  runMinute: 'claimflow:runMinute',
  sesFromAddress: 'claimflow:sesFromAddress',
  sesIdentity: 'claimflow:sesIdentity',
  digestRecipients: 'claimflow:digestRecipients',
  alarmEmail: 'claimflow:alarmEmail',
  companyRequisites: 'claimflow:companyRequisites',
  legalTeamRecipients: 'claimflow:legalTeamRecipients',
  legalRolePrincipals: 'claimflow:legalRolePrincipals',
  dunningPolicy: 'claimflow:dunningPolicy',
  envelopeFormat: 'claimflow:envelopeFormat',
  policyOverrides: 'claimflow:policyOverrides',
  yookassaAllowlist: 'claimflow:yookassaAllowlist',
  companyAccounts: 'claimflow:companyAccounts',
  maxConcurrency: 'claimflow:maxConcurrency',
  /** How long GET /operator/reports/{name} reads before it answers REPORT_NEEDS_JOB (operator-api's REPORT_SYNC_BUDGET_MS). */
  reportSyncBudgetMs: 'claimflow:reportSyncBudgetMs',
  sesSandboxRecipients: 'claimflow:sesSandboxRecipients',
  retainData: 'claimflow:retainData',
  logLevel: 'claimflow:logLevel',
  /** Report configuration JSON (buckets, targets, weekly summary schedule): validated by infra/constructs/reports.ts. */
  reportsConfig: 'claimflow:reportsConfig',
  credit: 'claimflow:credit',
} as const;

/**
 * Concurrent per-customer iterations of the DunningRun Map. Each runs process-customer; new AWS
 * accounts often start with a regional Lambda concurrency of 10 (docs/deploy.md): keep this below
 * the account's limit minus what the webhooks and the operator API need.
 */
export const DEFAULT_MAX_CONCURRENCY = MAX_CONCURRENCY;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Company requisites printed on letters: the runtime's own schema (functions/config.ts), one definition. */
export type CompanyRequisites = Company;

export interface ClaimflowConfig {
  stage: string;
  timeZone: string;
  runHour: number;
  runMinute: number;
  /** The schedule in the shape workflows/schedule.ts expects. */
  schedule: ScheduleConfig;
  sesFromAddress: string;
  /** The SES identity to create and verify: a domain (example.ru) or a single address. */
  sesIdentity: string;
  sesIdentityKind: 'domain' | 'email';
  /** SES sandbox only: verified recipient identities (addresses or domains) letters may go to. */
  sesSandboxRecipients: string[];
  digestRecipients: string[];
  alarmEmail?: string;
  company: CompanyRequisites;
  /** The company's settlement accounts (20 digits each); bank-statement payments into others are skipped. Empty: the accounts the file lists. */
  companyAccounts: string[];
  /** MaxConcurrency of the DunningRun Map (see DEFAULT_MAX_CONCURRENCY). */
  maxConcurrency: number;
  /** Absent: the function's default (20 s). */
  reportSyncBudgetMs?: number;
  legalTeamRecipients: string[];
  /**
   * IAM principals holding the legal role for claim-case approval (operator-api's
   * LEGAL_ROLE_PRINCIPALS): full caller ARNs or suffixes such as `user/lawyer`. Empty: nobody can
   * approve through the operator API (synth warns).
   */
  legalRolePrincipals: string[];
  dunningPolicy: 'wholesale' | 'housing';
  envelopeFormat: 'DL' | 'C5';
  /** Segment and customer overrides of the dunning policy preset (validated JSON), if any. */
  policyOverrides?: { segments?: Record<string, unknown>; customers?: Record<string, unknown> };
  /** Undefined: the ingestion code's built-in YooKassa ranges apply; empty ("none"): the route is disabled. */
  yookassaAllowlist?: string[];
  retainData: boolean;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

// ---------------------------------------------------------------------------------------------
// Field schemas. Messages are phrased to follow the key: "<key> <message> (got <value>)".

const EMAIL_MSG = 'must be an email address such as collections@yourcompany.ru';
const zEmail = z
  .string()
  .trim()
  .pipe(z.email({ message: EMAIL_MSG }));
const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

/** Accepts a number or a numeric string (CLI context values are strings). */
function intIn(min: number, max: number, what: string) {
  const msg = `must be ${what} (a whole number ${min}–${max})`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ message: msg }).int({ message: msg }).min(min, { message: msg }).max(max, { message: msg }),
  );
}

/** Accepts a JSON array, or a comma-separated string. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const s = v.trim();
      if (s.startsWith('[')) {
        try {
          return JSON.parse(s);
        } catch {
          return v;
        }
      }
      return s === '' ? [] : s.split(',').map((x) => x.trim());
    },
    z.array(item, { message: 'must be a list (JSON array or comma-separated)' }),
  );
}

function isCidr(v: string): boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(v.trim());
  if (!m) return false;
  const family = isIP(m[1]!);
  if (family === 0) return false;
  if (m[2] === undefined) return true;
  const bits = Number(m[2]);
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

const zBool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ message: 'must be true or false' }));

const zContext = z.object({
  [CONTEXT_KEYS.stage]: z
    .string({ message: 'must be a short lower-case name such as dev or prod' })
    .regex(/^[a-z][a-z0-9-]{0,15}$/, { message: 'must be a short lower-case name such as dev or prod (a–z, 0–9, -; at most 16)' })
    .optional(),
  [CONTEXT_KEYS.timeZone]: z
    .string({ message: 'must be an IANA time zone such as Europe/Moscow' })
    .refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' })
    .default(DEFAULT_SCHEDULE.timeZone),
  [CONTEXT_KEYS.runHour]: intIn(0, 23, 'the hour of the run in the company time zone').default(DEFAULT_SCHEDULE.hour),
  [CONTEXT_KEYS.runMinute]: intIn(0, 59, 'the minute of the run').default(DEFAULT_SCHEDULE.minute),
  [CONTEXT_KEYS.sesFromAddress]: zEmail.optional(),
  [CONTEXT_KEYS.sesIdentity]: z
    .string({ message: 'must be a domain (yourcompany.ru) or an email address' })
    .trim()
    .refine((v) => DOMAIN_RE.test(v) || z.email().safeParse(v).success, {
      message: 'must be a domain (yourcompany.ru) or an email address',
    })
    .optional(),
  [CONTEXT_KEYS.digestRecipients]: listOf(zEmail).default([]),
  [CONTEXT_KEYS.sesSandboxRecipients]: listOf(
    z
      .string()
      .trim()
      .refine((v) => DOMAIN_RE.test(v) || z.email().safeParse(v).success, { message: 'must be a verified SES identity: a domain or an email address' }),
  ).default([]),
  [CONTEXT_KEYS.alarmEmail]: zEmail.optional(),
  [CONTEXT_KEYS.companyRequisites]: z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    }, zCompany)
    .optional(),
  [CONTEXT_KEYS.legalTeamRecipients]: listOf(zEmail).default([]),
  [CONTEXT_KEYS.legalRolePrincipals]: listOf(
    z
      .string()
      .trim()
      .regex(/^[\w+=.@:/-]+$/, { message: 'must be an IAM caller ARN or its suffix such as user/lawyer (no spaces)' }),
  ).default([]),
  [CONTEXT_KEYS.dunningPolicy]: z.enum(['wholesale', 'housing'], { message: 'must be wholesale or housing' }).default('wholesale'),
  [CONTEXT_KEYS.envelopeFormat]: z.enum(['DL', 'C5'], { message: 'must be DL or C5' }).default('DL'),
  [CONTEXT_KEYS.policyOverrides]: z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    }, z
      .object(
        { segments: z.record(z.string(), z.unknown()).optional(), customers: z.record(z.string(), z.unknown()).optional() },
        { message: 'must be JSON {"segments": {...}, "customers": {...}}' },
      )
      .strict())
    .optional(),
  [CONTEXT_KEYS.yookassaAllowlist]: z
    .union([
      z.literal('none').transform(() => [] as string[]),
      listOf(z.string().refine(isCidr, { message: 'must be an IPv4 or IPv6 CIDR such as 185.71.76.0/27, or the single word none (route disabled)' })),
    ])
    .optional(),
  [CONTEXT_KEYS.companyAccounts]: listOf(
    z
      .string()
      .trim()
      .regex(/^\d{20}$/, { message: 'must be a settlement account of 20 digits' }),
  ).default([]),
  [CONTEXT_KEYS.maxConcurrency]: intIn(1, MAX_CONCURRENCY_LIMIT, "the number of customers processed at once (below the account's Lambda concurrency)").default(
    DEFAULT_MAX_CONCURRENCY,
  ),
  // The same bounds as the function's own schema (functions/config.ts REPORT_JOBS): under API Gateway's 29 s.
  [CONTEXT_KEYS.reportSyncBudgetMs]: intIn(0, 25_000, 'milliseconds the synchronous report may read (0: every ledger read runs as a job)').optional(),
  [CONTEXT_KEYS.retainData]: zBool.default(true),
  [CONTEXT_KEYS.logLevel]: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR'], { message: 'must be one of DEBUG, INFO, WARN, ERROR' }).default('INFO'),
  [CONTEXT_KEYS.reportsConfig]: z.unknown().optional(),
  /** Validated by infra/constructs/credit.ts (parseCreditContext). */
  [CONTEXT_KEYS.credit]: z.unknown().optional(),
});

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function valueAt(raw: Record<string, unknown>, path: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) v = v != null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/**
 * Validates a context map (keys `claimflow:*`; other keys are ignored). Throws ConfigError whose
 * message lists every bad key with its value.
 */
export function parseConfig(context: Record<string, unknown>): ClaimflowConfig {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(context)) if (k.startsWith(CONTEXT_PREFIX)) raw[k] = v;

  const unknownKeys = Object.keys(raw).filter((k) => !(Object.values(CONTEXT_KEYS) as string[]).includes(k));
  const issues: string[] = unknownKeys.map((k) => `${k} is not a claimflow context key (known: ${Object.values(CONTEXT_KEYS).join(', ')})`);

  const parsed = zContext.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      const rest = issue.path.slice(1);
      const where = rest.length ? `${key}[${rest.join('.')}]` : key;
      // The value as given for a key; the item itself for an element of a list given as one string.
      const got = rest.length && 'input' in issue ? issue.input : valueAt(raw, issue.path);
      issues.push(`${where} ${issue.message} (got ${show(got)})`);
    }
  }
  if (issues.length) throw new ConfigError(`Invalid claimflow configuration:\n  - ${issues.join('\n  - ')}`, issues);
  const c = parsed.data!;

  // Keys a deploy must name: no stage, sender or company requisites are assumed (a deploy with the demo
  // company's name and bank account would send real letters with them). Synth refuses, naming each.
  const missing = (key: string, what: string) => issues.push(`${key} is required: ${what} (a deploy names it: -c ${key}=…, docs/deploy.md)`);
  const stage = c[CONTEXT_KEYS.stage] ?? '';
  if (!stage) missing(CONTEXT_KEYS.stage, 'the stage to deploy, such as prod or staging');
  // The domain in lower case, as the mailer writes it (the local part is kept: SES compares it as given).
  const givenFrom = c[CONTEXT_KEYS.sesFromAddress] ?? '';
  const sesFromAddress = givenFrom ? `${givenFrom.slice(0, givenFrom.lastIndexOf('@'))}@${givenFrom.slice(givenFrom.lastIndexOf('@') + 1).toLowerCase()}` : '';
  if (!sesFromAddress) missing(CONTEXT_KEYS.sesFromAddress, 'the sender address of every letter');
  const company = c[CONTEXT_KEYS.companyRequisites];
  if (company === undefined) missing(CONTEXT_KEYS.companyRequisites, 'the JSON requisites printed on letters {name, inn, kpp, legalAddress, postalAddress, bank, signatory}');

  const fromDomain = sesFromAddress.slice(sesFromAddress.lastIndexOf('@') + 1).toLowerCase();
  const sesIdentity = (c[CONTEXT_KEYS.sesIdentity] ?? fromDomain).toLowerCase();
  const sesIdentityKind: 'domain' | 'email' = sesIdentity.includes('@') ? 'email' : 'domain';
  const covered = sesIdentityKind === 'email' ? sesIdentity === sesFromAddress.toLowerCase() : fromDomain === sesIdentity || fromDomain.endsWith(`.${sesIdentity}`);
  if (sesFromAddress && !covered) {
    issues.push(
      `${CONTEXT_KEYS.sesIdentity} must be the domain of ${CONTEXT_KEYS.sesFromAddress} or that address itself (got ${show(sesIdentity)} for sender ${show(sesFromAddress)})`,
    );
  }

  if (issues.length) throw new ConfigError(`Invalid claimflow configuration:\n  - ${issues.join('\n  - ')}`, issues);

  const timeZone = c[CONTEXT_KEYS.timeZone];
  const runHour = c[CONTEXT_KEYS.runHour];
  const runMinute = c[CONTEXT_KEYS.runMinute];
  const cfg: ClaimflowConfig = {
    stage,
    timeZone,
    runHour,
    runMinute,
    schedule: { timeZone, hour: runHour, minute: runMinute },
    sesFromAddress,
    sesIdentity,
    sesIdentityKind,
    sesSandboxRecipients: c[CONTEXT_KEYS.sesSandboxRecipients].map((r) => r.toLowerCase()),
    digestRecipients: c[CONTEXT_KEYS.digestRecipients],
    legalTeamRecipients: c[CONTEXT_KEYS.legalTeamRecipients],
    legalRolePrincipals: c[CONTEXT_KEYS.legalRolePrincipals],
    dunningPolicy: c[CONTEXT_KEYS.dunningPolicy],
    envelopeFormat: c[CONTEXT_KEYS.envelopeFormat],
    retainData: c[CONTEXT_KEYS.retainData],
    logLevel: c[CONTEXT_KEYS.logLevel],
    company: company!,
    companyAccounts: c[CONTEXT_KEYS.companyAccounts],
    maxConcurrency: c[CONTEXT_KEYS.maxConcurrency],
    ...(c[CONTEXT_KEYS.reportSyncBudgetMs] !== undefined ? { reportSyncBudgetMs: c[CONTEXT_KEYS.reportSyncBudgetMs] } : {}),
  };
  const overrides = c[CONTEXT_KEYS.policyOverrides];
  if (overrides) {
    // Validate against the policy schema now, so a bad override fails synth, naming the key and field.
    try {
      parsePolicyConfig({ base: PRESETS[cfg.dunningPolicy], segments: overrides.segments ?? {}, customers: overrides.customers ?? {} });
      cfg.policyOverrides = overrides;
    } catch (err) {
      const issue = `${CONTEXT_KEYS.policyOverrides}: ${(err as Error).message}`;
      throw new ConfigError(`Invalid claimflow configuration:\n  - ${issue}`, [issue]);
    }
  }
  const alarmEmail = c[CONTEXT_KEYS.alarmEmail];
  if (alarmEmail !== undefined) cfg.alarmEmail = alarmEmail;
  const allow = c[CONTEXT_KEYS.yookassaAllowlist];
  if (allow !== undefined) cfg.yookassaAllowlist = allow.map((s) => s.trim());
  return cfg;
}

/** Reads and validates the `claimflow:*` context of the app (or any construct inside it). */
export function loadConfig(scope: IConstruct): ClaimflowConfig {
  // All claimflow:* keys, so a misspelled one (claimflow:timezone) fails instead of silently defaulting.
  const ctx: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(scope.node.getAllContext() as Record<string, unknown>)) {
    if (k.startsWith(CONTEXT_PREFIX)) ctx[k] = v;
  }
  return parseConfig(ctx);
}

/** Resource name prefix: claimflow-<stage>. */
export function namePrefix(cfg: Pick<ClaimflowConfig, 'stage'>): string {
  return `claimflow-${cfg.stage}`;
}
