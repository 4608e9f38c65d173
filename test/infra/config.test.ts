import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, DEFAULT_MAX_CONCURRENCY, parseConfig } from '../../infra/config.js';
import { DEFAULT_COMPANY } from '../../functions/config.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** What every deploy names (the keys infra/config.ts parseConfig requires). */
const REQ = { 'claimflow:stage': 'dev', 'claimflow:sesFromAddress': 'collections@example.com', 'claimflow:companyRequisites': JSON.stringify(DEFAULT_COMPANY) };

describe('infra config from CDK context', () => {
  it('refuses a deploy that does not name its stage, sender and company requisites, naming each', () => {
    // Prepare
    const ctx = {};

    // Act
    const err = errorOf(() => parseConfig(ctx));

    // Assess
    expect(err.issues).toHaveLength(3);
    expect(err.issues[0]).toMatch(/^claimflow:stage is required/);
    expect(err.issues[1]).toMatch(/^claimflow:sesFromAddress is required/);
    expect(err.issues[2]).toMatch(/^claimflow:companyRequisites is required/);
  });

  it('uses the documented defaults for everything a deploy does not have to name', () => {
    // Prepare
    const ctx = REQ;

    // Act
    const cfg = parseConfig(ctx);

    // Assess
    expect(cfg).toMatchObject({
      stage: 'dev',
      timeZone: 'Europe/Moscow',
      runHour: 9,
      runMinute: 0,
      schedule: { timeZone: 'Europe/Moscow', hour: 9, minute: 0 },
      sesFromAddress: 'collections@example.com',
      sesIdentity: 'example.com',
      sesIdentityKind: 'domain',
      digestRecipients: [],
      legalTeamRecipients: [],
      legalRolePrincipals: [],
      retainData: true,
      logLevel: 'INFO',
      dunningPolicy: 'wholesale',
      envelopeFormat: 'DL',
      companyAccounts: [],
      maxConcurrency: DEFAULT_MAX_CONCURRENCY,
    });
    expect(cfg.alarmEmail).toBeUndefined();
    expect(cfg.company.inn).toBe(DEFAULT_COMPANY.inn);
    expect(cfg.yookassaAllowlist).toBeUndefined();
  });

  it('reads yookassaAllowlist=none as "route disabled", company accounts as 20-digit lists, and a bounded maxConcurrency', () => {
    // Prepare
    const ok = { ...REQ, 'claimflow:yookassaAllowlist': 'none', 'claimflow:companyAccounts': '40702810900000000001, 40702810900000000002', 'claimflow:maxConcurrency': '8' };
    const bad = { ...REQ, 'claimflow:companyAccounts': '4070281', 'claimflow:maxConcurrency': '0' };

    // Act
    const cfg = parseConfig(ok);
    const err = errorOf(() => parseConfig(bad));

    // Assess
    expect(cfg.yookassaAllowlist).toEqual([]);
    expect(cfg.companyAccounts).toEqual(['40702810900000000001', '40702810900000000002']);
    expect(cfg.maxConcurrency).toBe(8);
    expect(err.issues).toEqual([
      'claimflow:companyAccounts[0] must be a settlement account of 20 digits (got "4070281")',
      'claimflow:maxConcurrency must be the number of customers processed at once (below the account\'s Lambda concurrency) (a whole number 1–200) (got "0")',
    ]);
  });

  it('reads the synchronous report budget within 0–25,000 ms, absent by default', () => {
    // Act
    const absent = parseConfig(REQ);
    const zero = parseConfig({ ...REQ, 'claimflow:reportSyncBudgetMs': '0' });
    const err = errorOf(() => parseConfig({ ...REQ, 'claimflow:reportSyncBudgetMs': 30_000 }));

    // Assess
    expect(absent.reportSyncBudgetMs).toBeUndefined();
    expect(zero.reportSyncBudgetMs).toBe(0);
    expect(err.issues).toEqual([
      'claimflow:reportSyncBudgetMs must be milliseconds the synchronous report may read (0: every ledger read runs as a job) (a whole number 0–25000) (got 30000)',
    ]);
  });

  it('names the key, the rule and the value of a bad time zone', () => {
    // Prepare
    const ctx = { 'claimflow:timeZone': 'Mars/Base' };

    // Act
    const err = errorOf(() => parseConfig({ ...REQ, ...ctx }));

    // Assess
    expect(err.issues).toEqual(['claimflow:timeZone must be an IANA time zone such as Europe/Moscow (got "Mars/Base")']);
    expect(err.message).toContain('claimflow:timeZone must be an IANA time zone such as Europe/Moscow (got "Mars/Base")');
  });

  it('refuses runHour 25 and runMinute 60, naming each key', () => {
    // Prepare
    const ctx = { 'claimflow:runHour': 25, 'claimflow:runMinute': '60' };

    // Act
    const err = errorOf(() => parseConfig({ ...REQ, ...ctx }));

    // Assess
    expect(err.issues).toEqual([
      'claimflow:runHour must be the hour of the run in the company time zone (a whole number 0–23) (got 25)',
      'claimflow:runMinute must be the minute of the run (a whole number 0–59) (got "60")',
    ]);
  });

  it('refuses a bad sender address, alarm email and digest recipient by key', () => {
    // Prepare
    const ctx = {
      'claimflow:sesFromAddress': 'collections-at-acme.ru',
      'claimflow:alarmEmail': 'ops@',
      'claimflow:digestRecipients': 'head@acme.ru,not-an-email',
    };

    // Act
    const err = errorOf(() => parseConfig({ ...REQ, ...ctx }));

    // Assess
    expect(err.issues).toEqual([
      'claimflow:sesFromAddress must be an email address such as collections@yourcompany.ru (got "collections-at-acme.ru")',
      'claimflow:digestRecipients[1] must be an email address such as collections@yourcompany.ru (got "not-an-email")',
      'claimflow:alarmEmail must be an email address such as collections@yourcompany.ru (got "ops@")',
    ]);
  });

  it('reads the legal-role principals as a comma list or JSON array and refuses one with a space, by key and index', () => {
    // Prepare
    const asList = { 'claimflow:legalRolePrincipals': 'user/lawyer, arn:aws:iam::123456789012:user/head-of-legal' };
    const asJson = { 'claimflow:legalRolePrincipals': ['user/lawyer'] };
    const bad = { 'claimflow:legalRolePrincipals': 'user/lawyer,user/Ivan Petrov' };

    // Act
    const fromList = parseConfig({ ...REQ, ...asList }).legalRolePrincipals;
    const fromJson = parseConfig({ ...REQ, ...asJson }).legalRolePrincipals;
    const err = errorOf(() => parseConfig({ ...REQ, ...bad }));

    // Assess
    expect(fromList).toEqual(['user/lawyer', 'arn:aws:iam::123456789012:user/head-of-legal']);
    expect(fromJson).toEqual(['user/lawyer']);
    expect(err.issues).toEqual(['claimflow:legalRolePrincipals[1] must be an IAM caller ARN or its suffix such as user/lawyer (no spaces) (got "user/Ivan Petrov")']);
  });

  it('coerces command-line strings: numbers, booleans, comma lists and JSON', () => {
    // Prepare
    const ctx = {
      'claimflow:stage': 'prod',
      'claimflow:runHour': '10',
      'claimflow:runMinute': '30',
      'claimflow:timeZone': 'Asia/Yekaterinburg',
      'claimflow:sesFromAddress': 'collections@mail.acme.ru',
      'claimflow:sesIdentity': 'acme.ru',
      'claimflow:digestRecipients': 'head@acme.ru, cfo@acme.ru',
      'claimflow:retainData': 'false',
      'claimflow:yookassaAllowlist': '185.71.76.0/27,2a02:5180::/32',
      'claimflow:companyRequisites': JSON.stringify(DEFAULT_COMPANY),
    };

    // Act
    const cfg = parseConfig({ ...REQ, ...ctx });

    // Assess
    expect(cfg.schedule).toEqual({ timeZone: 'Asia/Yekaterinburg', hour: 10, minute: 30 });
    expect(cfg.digestRecipients).toEqual(['head@acme.ru', 'cfo@acme.ru']);
    expect(cfg.retainData).toBe(false);
    expect(cfg.yookassaAllowlist).toEqual(['185.71.76.0/27', '2a02:5180::/32']);
    expect(cfg.company?.inn).toBe(DEFAULT_COMPANY.inn);
    expect(cfg.sesIdentity).toBe('acme.ru');
  });

  it('refuses an SES identity that does not cover the sender, a bad CIDR and a misspelled key', () => {
    // Prepare
    const ctx = {
      'claimflow:sesFromAddress': 'collections@acme.ru',
      'claimflow:sesIdentity': 'other.ru',
      'claimflow:yookassaAllowlist': ['185.71.76.0/33'],
      'claimflow:timezone': 'Europe/Moscow',
    };

    // Act
    const err = errorOf(() => parseConfig({ ...REQ, ...ctx }));

    // Assess
    expect(err.issues[0]).toMatch(/^claimflow:timezone is not a claimflow context key/);
    expect(err.issues[1]).toBe(
      'claimflow:yookassaAllowlist[0] must be an IPv4 or IPv6 CIDR such as 185.71.76.0/27, or the single word none (route disabled) (got "185.71.76.0/33")',
    );
    expect(errorOf(() => parseConfig({ ...REQ, 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:sesIdentity': 'other.ru' })).issues).toEqual([
      'claimflow:sesIdentity must be the domain of claimflow:sesFromAddress or that address itself (got "other.ru" for sender "collections@acme.ru")',
    ]);
  });

  it('accepts every hour 0–23 and refuses every hour outside it (property)', () => {
    // Prepare
    const ok = fc.integer({ min: 0, max: 23 });
    const bad = fc.oneof(fc.integer({ min: -1000, max: -1 }), fc.integer({ min: 24, max: 1000 }));

    // Act + Assess
    fc.assert(fc.property(ok, (h) => parseConfig({ ...REQ, 'claimflow:runHour': h }).runHour === h));
    fc.assert(
      fc.property(bad, (h) => {
        const err = errorOf(() => parseConfig({ ...REQ, 'claimflow:runHour': String(h) }));
        return err.issues.length === 1 && err.issues[0]!.startsWith('claimflow:runHour ');
      }),
    );
  });
});

describe('policy overrides from context', () => {
  it('accepts valid segment/customer overrides and refuses a bad one, naming the key and the field', async () => {
    // Prepare
    const { parseConfig } = await import('../../infra/config.js');
    const good = { 'claimflow:policyOverrides': JSON.stringify({ segments: { key: { minGapDays: 7 } }, customers: { 'C-17': { stages: { warning: { payWithinDays: 10 } } } } }) };
    const bad = { 'claimflow:policyOverrides': { customers: { 'C-17': { minGapDays: -3 } } } };
    // Act
    const cfg = parseConfig({ ...REQ, ...good });
    // Assess
    expect(cfg.policyOverrides?.segments).toEqual({ key: { minGapDays: 7 } });
    expect(() => parseConfig({ ...REQ, ...bad })).toThrow(/claimflow:policyOverrides.*customers\.C-17.*minGapDays/s);
  });
});
