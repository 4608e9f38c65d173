/**
 * Report jobs in the service stack (issue 14, reports at 1M invoices): operator-api starts a report job
 * by invoking the weekly-summary function asynchronously (its name in REPORT_WORKER_FUNCTION,
 * InvokeFunction on it), weekly-summary has the time and memory a whole-ledger report needs, settles the
 * job record (UpdateItem) and writes the file under reports/jobs/, which operator-api may read to serve
 * the download; the job's deadline counts in the function's event age and timeout.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { HANDLERS } from '../../infra/service-stack.js';
import { REPORT_JOB_DEADLINE_MS, REPORT_JOB_QUEUE_MS, REPORT_JOB_RUN_MS } from '../../functions/app/report-jobs.js';
import { z } from 'zod';
import { envKeysOf, REPORT_JOBS } from '../../functions/config.js';
import { asArray, buildTestApp, statementsOfRole } from './support.js';

type Res = Record<string, { Type: string; Properties: Record<string, any> }>;

describe('service stack: report jobs', () => {
  const res = Template.fromStack(buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru' }).service).toJSON().Resources as Res;
  const fnOf = (role: keyof typeof HANDLERS) => Object.entries(res).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS[role].description)!;
  const statementsOf = (role: keyof typeof HANDLERS) => statementsOfRole(res, fnOf(role)[1].Properties.Role['Fn::GetAtt'][0]);
  const granting = (role: keyof typeof HANDLERS, action: string) => statementsOf(role).filter((s) => asArray(s.Action as string | string[]).includes(action));

  it('names weekly-summary in operator-api’s REPORT_WORKER_FUNCTION and lets operator-api invoke it', () => {
    // Prepare
    const [weeklyId] = fnOf('weeklySummary');
    const [, operator] = fnOf('operatorApi');

    // Act
    const resources = granting('operatorApi', 'lambda:InvokeFunction').flatMap((s) => asArray(s.Resource as unknown));

    // Assess
    expect(operator.Properties.Environment.Variables.REPORT_WORKER_FUNCTION).toEqual({ Ref: weeklyId });
    expect(resources).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [weeklyId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [weeklyId, 'Arn'] }, ':*']] }]));
  });

  it('gives the job weekly-summary’s 900 s and its memory, an event age the job deadline counts in, and an API Gateway budget below 29 s', () => {
    // Prepare
    const [weeklyId, weekly] = fnOf('weeklySummary');

    // Act
    const config = Object.values(res).find((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && r.Properties.FunctionName.Ref === weeklyId);
    const budget = z.object(REPORT_JOBS);
    const operatorConfig = budget.parse({});

    // Assess
    expect(weekly.Properties.Timeout * 1000).toBe(REPORT_JOB_RUN_MS);
    expect(weekly.Properties.MemorySize).toBe(HANDLERS.weeklySummary.memory);
    expect(config?.Properties).toMatchObject({ MaximumEventAgeInSeconds: REPORT_JOB_QUEUE_MS / 1000 });
    expect(REPORT_JOB_DEADLINE_MS).toBe(REPORT_JOB_QUEUE_MS + REPORT_JOB_RUN_MS + 60_000);
    expect(operatorConfig.REPORT_SYNC_BUDGET_MS).toBe(20_000);
    expect(operatorConfig.REPORT_SYNC_BUDGET_MS).toBeLessThan(HANDLERS.operatorApi.timeout * 1000);
    expect(budget.safeParse({ REPORT_SYNC_BUDGET_MS: '60000' }).success).toBe(false);
    expect(budget.safeParse({ REPORT_SYNC_BUDGET_MS: 'soon' }).success).toBe(false);
    expect(envKeysOf('operatorApi')).toEqual(expect.arrayContaining(['REPORT_SYNC_BUDGET_MS', 'REPORT_WORKER_FUNCTION']));
  });

  it('lets weekly-summary settle the job (UpdateItem on the table) and operator-api read the job files under reports/jobs/', () => {
    // Prepare
    const [, weekly] = fnOf('weeklySummary');

    // Act
    const updates = granting('weeklySummary', 'dynamodb:UpdateItem').flatMap((s) => asArray(s.Resource as unknown));
    const reads = granting('operatorApi', 's3:GetObject').flatMap((s) => asArray(s.Resource as unknown));
    const writes = granting('weeklySummary', 's3:PutObject').flatMap((s) => asArray(s.Resource as unknown));

    // Assess
    expect(weekly.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
    expect(JSON.stringify(updates)).toMatch(/Table/);
    expect(JSON.stringify(reads)).toContain('/reports/*"');
    expect(JSON.stringify(writes)).toContain('/reports/*');
  });

  it('passes claimflow:reportSyncBudgetMs to operator-api only when it is set', () => {
    // Act
    const set = Template.fromStack(buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:reportSyncBudgetMs': '5000' }).service).toJSON().Resources as Res;
    const operatorEnv = (r: Res) =>
      Object.values(r).find((x) => x.Type === 'AWS::Lambda::Function' && x.Properties.Description === HANDLERS.operatorApi.description)!.Properties.Environment.Variables;

    // Assess
    expect(operatorEnv(set).REPORT_SYNC_BUDGET_MS).toBe('5000');
    expect(operatorEnv(res).REPORT_SYNC_BUDGET_MS).toBeUndefined();
    expect(() => buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:reportSyncBudgetMs': '60000' })).toThrow(/claimflow:reportSyncBudgetMs/);
  });
});
