/**
 * The one full synth: bundling ON for every function, CloudFormation validation ON, cdk-nag
 * AwsSolutions ON. Also validates the synthesized DunningRun and ClaimCase definitions with
 * asl-validator and checks each is the very definition the local runner executes (claimCaseAsl()
 * is what localClaimCaseAsl() derives from).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Validations } from 'aws-cdk-lib';
import { dunningRunAsl, LOCAL_FUNCTION_ARNS, type DunningRunFunctions } from '../../workflows/dunning-run.js';
import { CLAIM_STATE, claimCaseAsl, LOCAL_CLAIM_FUNCTION_ARNS, type ClaimCaseFunctions } from '../../workflows/claim-case.js';
import { HANDLERS, RENDER_ASSETS } from '../../infra/service-stack.js';
import { buildTestApp, flattenJoin, REPO_ROOT } from './support.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[]; errorsText: (sep?: string) => string };

type Res = Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> }>;

/** CDK's own deploy-time helper (the web console's BucketDeployment copy function), not a claimflow handler. */
const CDK_HELPER = /^CustomCDKBucketDeployment/;

let built: ReturnType<typeof buildTestApp>;
let assembly: CloudAssembly;
let service: Res;
let synthError: unknown;

beforeAll(() => {
  built = buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:alarmEmail': 'ops@acme.ru' }, { bundling: true, cfnValidation: true, nag: true });
  try {
    assembly = built.app.synth();
  } catch (err) {
    synthError = err;
  }
  if (assembly) service = (assembly.getStackByName(built.service.stackName).template as { Resources: Res }).Resources;
}, 300_000);

/**
 * Replaces each function reference (a `${<logical id>.Arn}` or literal ARN in a `Resource` or, for
 * integration patterns such as waitForTaskToken, in `Parameters.FunctionName`) with the role of that
 * function. Integration Resources (arn:aws:states:::…) are left as they are.
 */
function withRoles(asl: unknown, roleOf: (resource: string) => string | undefined, keys: readonly string[] = ['Resource']): unknown {
  if (Array.isArray(asl)) return asl.map((x) => withRoles(x, roleOf, keys));
  if (asl && typeof asl === 'object') {
    return Object.fromEntries(
      Object.entries(asl).map(([k, v]) => {
        if (!keys.includes(k) || typeof v !== 'string') return [k, withRoles(v, roleOf, keys)];
        if (/^arn:aws:states:::/.test(v)) return [k, v];
        return [k, roleOf(v) ?? `UNMAPPED ${v}`];
      }),
    );
  }
  return asl;
}

/** The synthesized definition of the state machine named `name`, as one JSON value (the partition filled in). */
function definitionOf(name: string): { logicalId: string; asl: Record<string, any> } {
  const [logicalId, sm] = Object.entries(service).find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties.StateMachineName === name)!;
  return { logicalId, asl: JSON.parse(flattenJoin(sm.Properties.DefinitionString).replaceAll('${AWS::Partition}', 'aws')) };
}

/** The definition with every `${<logical id>.Arn}` turned into a literal Lambda ARN, for asl-validator's ARN check. */
const withLiteralArns = (asl: unknown) => JSON.parse(JSON.stringify(asl).replace(/\$\{(\w+)\.Arn\}/g, 'arn:aws:lambda:eu-central-1:123456789012:function:$1'));

describe('full synth (bundling, CloudFormation validation, cdk-nag AwsSolutions)', () => {
  it('synthesizes both stacks with zero unacknowledged cdk-nag findings', () => {
    // Prepare
    const reportPath = join(built.outdir, 'validation-report.json');

    // Act
    const report = existsSync(reportPath)
      ? (JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[] })
      : undefined;

    // Assess
    expect(synthError).toBeUndefined();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['claimflow-dev-service', 'claimflow-dev-stateful']);
    const nag = report?.pluginReports.filter((p) => p.pluginName === 'AwsSolutions') ?? [];
    for (const p of nag) expect(p.violations).toEqual([]);
  });

  it('acknowledges every finding on a resource path, with a specific reason, never on a whole stack', () => {
    // Prepare
    const acks: { path: string; id: string; reason: string }[] = [];
    for (const c of built.app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(m.data as Record<string, string>)) acks.push({ path: c.node.path, id, reason });
      }
    }

    // Act
    const stackLevel = acks.filter((a) => !a.path.includes('/'));
    const iam5 = acks.filter((a) => a.id.includes('AwsSolutions-IAM5'));

    // Assess
    expect(acks.length).toBeGreaterThan(10);
    expect(stackLevel).toEqual([]);
    for (const a of acks) {
      expect(a.reason.length).toBeGreaterThan(60);
      // IAM5 acknowledgements name the exact finding, never the whole rule.
      expect(a.id).not.toMatch(/AwsSolutions-IAM5$/);
    }
    expect(built.wildcards.unmatched).toEqual([]);
    expect(iam5.length).toBe(built.wildcards.acknowledged.length);
    expect(new Set(built.wildcards.acknowledged.map((a) => a.rule))).toEqual(
      new Set([
        'no-resource-level-permissions',
        'lambda-versions',
        'table-indexes',
        'object-prefix',
        'own-executions',
        'operator-routes',
        'task-token-answers',
        'console-deployment',
      ]),
    );
    // The task-token wildcard sits on exactly the two roles that answer the approval wait.
    expect(
      built.wildcards.acknowledged
        .filter((a) => a.rule === 'task-token-answers')
        .map((a) => a.path)
        .sort(),
    ).toEqual(['claimflow-dev-service/ClaimCase/Role/DefaultPolicy/Resource', 'claimflow-dev-service/OperatorApi/Role/DefaultPolicy/Resource']);
  });

  it('bundles every handler as an ESM file that Node can parse, with templates and fonts where letters are rendered', () => {
    // Prepare
    const fns = Object.entries(service).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !CDK_HELPER.test(id));

    // Act
    const bundles = fns.map(([id, r]) => {
      const assetPath = `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
      const role = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).find((k) => HANDLERS[k].description === r.Properties.Description)!;
      return { id, role, dir: join(built.outdir, assetPath), handler: r.Properties.Handler as string };
    });

    // Assess
    expect(bundles).toHaveLength(Object.keys(HANDLERS).length);
    for (const b of bundles) {
      expect(b.handler).toBe('index.handler');
      expect(existsSync(join(b.dir, 'index.mjs'))).toBe(true);
      execFileSync(process.execPath, ['--check', join(b.dir, 'index.mjs')]);
      const renders = 'renders' in HANDLERS[b.role];
      for (const rel of RENDER_ASSETS) expect(existsSync(join(b.dir, rel)), `${b.role}: ${rel}`).toBe(renders);
    }
  });

  it('loads every bundle the way Lambda does: its cold start reads the environment the stack gives it, and error names survive minification', () => {
    // Prepare
    // Lambda provides @aws-sdk/*; here the repository's node_modules stands in for it (the bundle's own
    // node_modules/pdfmake, copied next to it, is nearer and wins).
    const link = join(built.outdir, 'node_modules');
    if (!existsSync(link)) symlinkSync(join(REPO_ROOT, 'node_modules'), link, 'dir');
    const dummy: Record<string, string> = {
      TABLE_NAME: 'claimflow-dev-ledger',
      BUCKET_NAME: 'claimflow-dev-documents',
      IMPORTS_BUCKET_NAME: 'claimflow-dev-imports',
      DLQ_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/claimflow-dev-failed-payloads',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:claimflow-dev-dunning-run',
      CLAIM_CASE_STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:claimflow-dev-claim-case',
      WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:claimflow/dev/webhook-secrets-AbCdEf',
    };
    const fns = Object.entries(service).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !CDK_HELPER.test(id));
    const roleOf = (description: string) => (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).find((k) => HANDLERS[k].description === description)!;
    // An invocation that needs no AWS call: a bad event. The error's name is what Lambda reports as
    // errorType and what Retry/Catch match (TransientError); a minifier that renamed classes would show here.
    const probe: Partial<Record<keyof typeof HANDLERS, { event: unknown; expect: string }>> = {
      findDebtors: { event: {}, expect: 'ValidationError' },
      processCustomer: { event: {}, expect: 'ValidationError' },
      summarizeRun: { event: { action: 'addUp' }, expect: 'ValidationError' },
      startRun: { event: { runDate: 5 }, expect: 'ValidationError' },
      sesFeedback: { event: {}, expect: 'ValidationError' },
      claimCase: { event: { action: 'package' }, expect: 'ValidationError' },
      bankImport: { event: {}, expect: 'returned' },
    };

    // Act
    const results = fns.map(([, r]) => {
      const role = roleOf(r.Properties.Description as string);
      const dir = join(built.outdir, `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const vars = Object.fromEntries(
        Object.entries(r.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : (dummy[k] ?? 'token')]),
      );
      const env = {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        LAMBDA_TASK_ROOT: dir,
        ...vars,
        NODE_OPTIONS: '',
      };
      const p = probe[role];
      const invoke = p
        ? `try { await m.handler(${JSON.stringify(p.event)}, { functionName: 'probe', awsRequestId: 'probe' }); console.log('returned'); } catch (e) { console.log(e.name); }`
        : `console.log('loaded');`;
      const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); } ${invoke}`;
      try {
        const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, cwd: dir, stdio: 'pipe', timeout: 60_000 }).toString().trim().split('\n').at(-1);
        return { role, ok: true, got: out, error: '' };
      } catch (err) {
        return { role, ok: false, got: '', error: String((err as { stderr?: Buffer }).stderr ?? err).slice(0, 800) };
      }
    });
    // A cold start that cannot read its configuration fails (here: no TABLE_NAME for process-customer).
    const pc = fns.find(([, r]) => roleOf(r.Properties.Description as string) === 'processCustomer')![1];
    const pcDir = join(built.outdir, `asset.${String(pc.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    const pcVars = Object.fromEntries(
      Object.entries(pc.Properties.Environment.Variables as Record<string, unknown>)
        .filter(([k]) => k !== 'TABLE_NAME')
        .map(([k, v]) => [k, typeof v === 'string' ? v : (dummy[k] ?? 'token')]),
    );
    let broken = '';
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(pcDir, 'index.mjs')).href)});`], {
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-central-1', ...pcVars, NODE_OPTIONS: '' },
        cwd: pcDir,
        stdio: 'pipe',
        timeout: 60_000,
      });
    } catch (err) {
      broken = String((err as { stderr?: Buffer }).stderr ?? err);
    }

    // Assess
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(Object.keys(HANDLERS).length);
    expect(Object.fromEntries(results.filter((r) => probe[r.role]).map((r) => [r.role, r.got]))).toEqual(Object.fromEntries(Object.entries(probe).map(([k, v]) => [k, v!.expect])));
    expect(broken).toMatch(/ConfigError: processCustomer configuration invalid: TABLE_NAME: is not set/);
  }, 300_000);

  it('deploys a DunningRun definition that asl-validator accepts and that deep-equals the local runner definition', () => {
    // Prepare
    const { asl: synthesized } = definitionOf('claimflow-dev-dunning-run');
    const roleByLogicalId = new Map<string, keyof DunningRunFunctions>();
    for (const [id, r] of Object.entries(service)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      for (const role of ['findDebtors', 'processCustomer', 'summarizeRun'] as const) {
        if (r.Properties.Description === HANDLERS[role].description) roleByLogicalId.set(id, role);
      }
    }
    const localRoleByArn = new Map(Object.entries(LOCAL_FUNCTION_ARNS).map(([role, arn]) => [arn, role]));

    // Act
    const validation = aslValidator(withLiteralArns(synthesized), { checkPaths: true, checkArn: true });
    const cloud = withRoles(synthesized, (r) => roleByLogicalId.get(/^\$\{(\w+)\.Arn\}$/.exec(r)?.[1] ?? ''));
    const local = withRoles(dunningRunAsl(), (r) => localRoleByArn.get(r));

    // Assess
    expect(validation.errorsText()).toBe('');
    expect(validation.isValid).toBe(true);
    expect(roleByLogicalId.size).toBe(3);
    expect(JSON.stringify(cloud)).not.toContain('UNMAPPED');
    expect(cloud).toEqual(local);
  });

  it('deploys a ClaimCase definition that asl-validator accepts and that deep-equals claimCaseAsl(), function by function', () => {
    // Prepare
    const { asl: synthesized } = definitionOf('claimflow-dev-claim-case');
    // One deployed function (HANDLERS.claimCase) serves the three task roles; locally each role has its own ARN.
    const handlerOfTask: Record<keyof ClaimCaseFunctions, keyof typeof HANDLERS> = { recordCase: 'claimCase', waitForApproval: 'claimCase', buildPackage: 'claimCase' };
    const roleByLogicalId = new Map<string, keyof typeof HANDLERS>();
    for (const [id, r] of Object.entries(service)) {
      if (r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS.claimCase.description) roleByLogicalId.set(id, 'claimCase');
    }
    const localRoleByArn = new Map(Object.entries(LOCAL_CLAIM_FUNCTION_ARNS).map(([task, arn]) => [arn, handlerOfTask[task as keyof ClaimCaseFunctions]]));
    const refKeys = ['Resource', 'FunctionName'] as const;

    // Act
    const validation = aslValidator(withLiteralArns(synthesized), { checkPaths: true, checkArn: true });
    const cloud = withRoles(synthesized, (r) => roleByLogicalId.get(/^\$\{(\w+)\.Arn\}$/.exec(r)?.[1] ?? ''), refKeys);
    const local = withRoles(claimCaseAsl(), (r) => localRoleByArn.get(r), refKeys);

    // Assess
    expect(validation.errorsText()).toBe('');
    expect(validation.isValid).toBe(true);
    expect(roleByLogicalId.size).toBe(1);
    expect(new Set(Object.values(LOCAL_CLAIM_FUNCTION_ARNS)).size).toBe(3);
    expect(JSON.stringify(cloud)).not.toContain('UNMAPPED');
    expect(JSON.stringify(local)).not.toContain('UNMAPPED');
    // The wait state really hands the function over in FunctionName (the mapping reached it).
    expect((cloud as { States: Record<string, any> }).States[CLAIM_STATE.wait].Parameters.FunctionName).toBe('claimCase');
    expect(cloud).toEqual(local);
  });
});
