/**
 * Every function gets exactly the environment it reads: the synthesized variables of each function
 * are the keys of its schema (functions/config.ts FUNCTION_ENV) plus the platform settings, every
 * required key is set, and the stack sets variables only through infra/constructs/bindings.ts (each
 * with its grant).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { envKeysOf, FUNCTION_ENV, loadFunctionConfig, PLATFORM_ENV } from '../../functions/config.js';
import { HANDLERS, type HandlerRole } from '../../infra/service-stack.js';
import { buildTestApp, REPO_ROOT } from './support.js';

type Res = Record<string, { Type: string; Properties: Record<string, any> }>;
let sr: Res;
const envOf = (role: HandlerRole) => {
  const fn = Object.values(sr).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS[role].description)!;
  return fn.Properties.Environment.Variables as Record<string, unknown>;
};

beforeAll(() => {
  const app = buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:legalRolePrincipals': 'user/lawyer', 'claimflow:yookassaAllowlist': 'none' });
  sr = Template.fromStack(app.service).toJSON().Resources as Res;
});

describe('function environment = its schema', () => {
  it('has a schema for every deployed function', () => {
    // Assess
    expect(Object.keys(HANDLERS).filter((r) => !(r in FUNCTION_ENV))).toEqual([]);
  });

  it('sets no variable a function does not read, and every variable it requires', () => {
    // Prepare
    const roles = Object.keys(HANDLERS) as HandlerRole[];

    // Act
    const report = roles.map((role) => {
      const set = Object.keys(envOf(role));
      const reads = new Set([...envKeysOf(role), ...PLATFORM_ENV]);
      const unread = set.filter((k) => !reads.has(k));
      // A string for each token: what matters is which keys are present.
      const fake = Object.fromEntries(set.map((k) => [k, typeof envOf(role)[k] === 'string' ? (envOf(role)[k] as string) : fakeValue(k)]));
      let coldStart = 'ok';
      try {
        loadFunctionConfig(role, fake);
      } catch (err) {
        coldStart = (err as Error).message;
      }
      return { role, unread, coldStart };
    });

    // Assess
    expect(report).toEqual(roles.map((role) => ({ role, unread: [], coldStart: 'ok' })));
  });

  it('passes "none" through to the webhook, which then disables the YooKassa route', () => {
    // Assess
    expect(envOf('webhook').YOOKASSA_ALLOWLIST).toBe('none');
  });

  it('sets variables only through the bindings (each with its grant)', () => {
    // Prepare
    const dirs = [join(REPO_ROOT, 'infra'), join(REPO_ROOT, 'infra', 'constructs')];

    // Act
    const offenders = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.ts') && f !== 'bindings.ts')
        .filter((f) => /\.addEnvironment\(/.test(readFileSync(join(d, f), 'utf8')))
        .map((f) => join(d, f).slice(REPO_ROOT.length + 1)),
    );

    // Assess
    expect(offenders).toEqual([]);
  });
});

function fakeValue(key: string): string {
  if (key.endsWith('_ARN')) return `arn:aws:states:eu-central-1:123456789012:stateMachine:${key.toLowerCase()}`;
  if (key === 'DLQ_URL') return 'https://sqs.eu-central-1.amazonaws.com/123456789012/claimflow-dev-failed-payloads';
  return `claimflow-dev-${key.toLowerCase()}`;
}
