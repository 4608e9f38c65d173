/**
 * Credit control in the synthesized service stack (fast mode, no bundling): the signed /credit/*
 * routes on credit-api, the delivery and sweep schedules built from workflows/credit-schedule.ts (the
 * definitions the local stack runs), the event bus and who may put events on it, the CREDIT_* settings
 * of every function that composes credit control, the context's validation, and cdk-nag.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { HANDLERS, type HandlerRole } from '../../infra/service-stack.js';
import { CREDIT_ROUTES, parseCreditContext } from '../../infra/constructs/credit.js';
import { CREDIT_SCHEDULES } from '../../workflows/credit-schedule.js';
import { cronerPattern, eventBridgeCron } from '../../workflows/cron.js';
import { buildTestApp } from './support.js';

const BASE = { 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:alarmEmail': 'ops@acme.ru' };
type Res = Record<string, { Type: string; Properties: Record<string, any> }>;

function synth(context: Record<string, unknown> = {}) {
  const t = Template.fromStack(buildTestApp({ ...BASE, ...context }).service);
  const res = t.toJSON().Resources as Res;
  const fnId = (role: HandlerRole) => Object.entries(res).find(([, v]) => v.Type === 'AWS::Lambda::Function' && v.Properties.Description === HANDLERS[role].description)![0];
  const env = (role: HandlerRole) => res[fnId(role)]!.Properties.Environment.Variables as Record<string, unknown>;
  const policyOf = (role: HandlerRole) => {
    const roleId = res[fnId(role)]!.Properties.Role['Fn::GetAtt'][0];
    return Object.values(res)
      .filter((v) => v.Type === 'AWS::IAM::Policy' && v.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  };
  return { t, res, fnId, env, policyOf };
}

describe('service stack: credit control', () => {
  it('routes POST /credit/checks and /credit/reservations to credit-api without an AWS authorizer (HMAC inside)', () => {
    // Act
    const { res, fnId } = synth();
    const routes = Object.values(res).filter((v) => v.Type === 'AWS::ApiGatewayV2::Route' && String(v.Properties.RouteKey).includes('/credit/'));
    const integrations = Object.entries(res).filter(([, v]) => v.Type === 'AWS::ApiGatewayV2::Integration');
    // Assess
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(CREDIT_ROUTES.map((p) => `POST ${p}`).sort());
    for (const r of routes) {
      expect(r.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      const target = String(r.Properties.Target['Fn::Join'][1][1].Ref);
      const integration = integrations.find(([id]) => id === target)![1];
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(fnId('creditApi'));
    }
  });

  it('schedules delivery and the sweep from the one definition the local stack runs, in the company zone, with retries and a DLQ', () => {
    // Act
    const { res, fnId } = synth();
    const schedules = Object.values(res).filter((v) => v.Type === 'AWS::Scheduler::Schedule' && String(v.Properties.Name).includes('-credit-'));
    const queue = Object.entries(res).find(([, v]) => v.Type === 'AWS::SQS::Queue' && v.Properties.QueueName === 'claimflow-dev-credit-jobs-dlq')![0];
    const invokeConfig = Object.values(res).find((v) => v.Type === 'AWS::Lambda::EventInvokeConfig' && v.Properties.FunctionName.Ref === fnId('creditJobs'));
    // Assess
    expect(schedules.map((s) => s.Properties.Name).sort()).toEqual(['claimflow-dev-credit-deliver', 'claimflow-dev-credit-sweep']);
    for (const job of CREDIT_SCHEDULES) {
      const s = schedules.find((x) => x.Properties.Name === `claimflow-dev-credit-${job.job}`)!;
      expect(s.Properties).toMatchObject({
        ScheduleExpression: eventBridgeCron(job.cron),
        ScheduleExpressionTimezone: 'Europe/Moscow',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [fnId('creditJobs'), 'Arn'] },
          Input: JSON.stringify({ job: job.job, scheduledTime: '<aws.scheduler.scheduled-time>' }),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        },
      });
    }
    expect(schedules.map((s) => s.Properties.ScheduleExpression).sort()).toEqual(['cron(* * * * ? *)', 'cron(5 * * * ? *)']);
    expect(CREDIT_SCHEDULES.map((j) => cronerPattern(j.cron))).toEqual(['* * * * *', '5 * * * *']);
    expect(invokeConfig?.Properties).toMatchObject({ MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } } });
  });

  it('only credit-jobs may put events, and only on the credit bus; credit-api reads and writes the table but deletes nothing', () => {
    // Act
    const { res, fnId, policyOf, env } = synth();
    const bus = Object.entries(res).find(([, v]) => v.Type === 'AWS::Events::EventBus')!;
    const roles = Object.keys(HANDLERS) as HandlerRole[];
    const putters = roles.filter((r) => policyOf(r).some((s) => [s.Action].flat().includes('events:PutEvents')));
    const apiActions = policyOf('creditApi').flatMap((s) => [s.Action].flat());
    // Assess
    expect(bus[1].Properties.Name).toBe('claimflow-dev-credit');
    expect(putters).toEqual(['creditJobs']);
    expect(policyOf('creditJobs').find((s) => [s.Action].flat().includes('events:PutEvents'))!.Resource).toEqual({ 'Fn::GetAtt': [bus[0], 'Arn'] });
    expect(env('creditJobs').CREDIT_EVENT_BUS).toEqual({ Ref: bus[0] });
    expect(apiActions).toContain('dynamodb:UpdateItem');
    expect(apiActions).not.toContain('dynamodb:DeleteItem');
    expect(apiActions).toContain('secretsmanager:GetSecretValue');
    expect(fnId('creditApi')).not.toBe(fnId('creditJobs'));
  });

  it('gives every function that composes credit control the same CREDIT_* settings from claimflow:credit', () => {
    // Prepare
    const credit = {
      webhookUrls: ['https://erp.example.ru/claimflow-events'],
      holdStart: 'warning-deadline',
      principalRoles: { 'role/sales-head': ['head_of_sales'] },
    };
    // Act
    const { env } = synth({ 'claimflow:credit': JSON.stringify(credit) });
    // Assess
    for (const role of ['webhook', 'bankImport', 'processCustomer', 'operatorApi', 'creditApi', 'creditJobs'] as HandlerRole[]) {
      expect(env(role), role).toMatchObject({
        CREDIT_WEBHOOK_URLS: 'https://erp.example.ru/claimflow-events',
        CREDIT_EVENTBRIDGE: 'on',
        CREDIT_HOLD_START: 'warning-deadline',
        CREDIT_PRINCIPAL_ROLES: JSON.stringify(credit.principalRoles),
        COMPANY_TIME_ZONE: 'Europe/Moscow',
        DUNNING_POLICY: 'wholesale',
      });
    }
    for (const role of ['findDebtors', 'summarizeRun', 'startRun', 'sesFeedback'] as HandlerRole[])
      expect(Object.keys(env(role)).filter((k) => k.startsWith('CREDIT_'))).toEqual([]);
  });

  it('refuses a bad claimflow:credit, naming the field', () => {
    // Assess
    expect(() => parseCreditContext({ webhookUrls: ['http://plain.example'] })).toThrow(/claimflow:credit: webhookUrls.0/);
    expect(() => parseCreditContext('{"holdStart":"never"}')).toThrow(/claimflow:credit: holdStart/);
    expect(() => parseCreditContext({ principalRoles: { 'role/x': ['boss'] } })).toThrow(/principalRoles/);
    expect(() => parseCreditContext({ policy: { name: 'x' } })).toThrow(/claimflow:credit: policy/);
    expect(parseCreditContext(undefined)).toEqual({ webhookUrls: [], eventBridge: true });
  });

  it('has no unacknowledged cdk-nag finding (AwsSolutions, synthesized without bundling)', () => {
    // Act
    const built = buildTestApp(BASE, { nag: true });
    built.app.synth();
    const reportPath = join(built.outdir, 'validation-report.json');
    const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { pluginName: string; violations: unknown[] }[] }) : undefined;
    // Assess
    for (const p of report?.pluginReports.filter((x) => x.pluginName === 'AwsSolutions') ?? []) expect(p.violations).toEqual([]);
  });
});
