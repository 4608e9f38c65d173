/**
 * Builds the claimflow app for infra tests with the same feature flags as cdk.json.
 * Fast mode (default): no bundling, no built-in CloudFormation validation, no cdk-nag.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildClaimflow, type Claimflow } from '../../infra/claimflow.js';
import { DEFAULT_COMPANY } from '../../functions/config.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const TEST_ENV = { account: '123456789012', region: 'eu-central-1' } as const;

export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

/** What every deploy must name (the keys infra/config.ts parseConfig requires, except the sender each test gives): stage dev, the demo requisites. */
export const DEPLOY_CONTEXT = { 'claimflow:stage': 'dev', 'claimflow:companyRequisites': JSON.stringify(DEFAULT_COMPANY) } as const;

export interface TestAppOptions {
  bundling?: boolean;
  cfnValidation?: boolean;
  nag?: boolean;
}

export function buildTestApp(context: Record<string, unknown> = {}, opts: TestAppOptions = {}): Claimflow & { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'claimflow-cdk-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...DEPLOY_CONTEXT, ...(opts.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
    builtinCloudFormationValidation: opts.cfnValidation ?? false,
  });
  return { app, outdir, ...buildClaimflow(app, { env: TEST_ENV, nag: opts.nag ?? false }) };
}

type Cfn = Record<string, unknown>;

/**
 * Turns a CloudFormation string expression (Fn::Join of literals and references, as in a
 * DefinitionString) into one string, writing each reference as `${Ref}` / `${Logical.Attr}`.
 */
export function flattenJoin(expr: unknown): string {
  if (typeof expr === 'string') return expr;
  const o = expr as Cfn;
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenJoin).join(sep);
  }
  if (o['Fn::GetAtt']) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
  if (o.Ref) return `\${${String(o.Ref)}}`;
  return `\${${JSON.stringify(o)}}`;
}

/** The JSON policy statements of every AWS::IAM::Policy attached to a role (by role logical id). */
export function statementsOfRole(resources: Record<string, { Type: string; Properties: Cfn }>, roleLogicalId: string): Cfn[] {
  const out: Cfn[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    const roles = (r.Properties.Roles as { Ref: string }[]) ?? [];
    if (!roles.some((x) => x.Ref === roleLogicalId)) continue;
    out.push(...((r.Properties.PolicyDocument as { Statement: Cfn[] }).Statement ?? []));
  }
  return out;
}

export const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
