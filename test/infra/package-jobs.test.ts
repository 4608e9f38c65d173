/**
 * Litigation-package jobs in the service stack (issue 17 item 10): operator-api starts the build by
 * invoking the claim-case function asynchronously (its name in PACKAGE_WORKER_FUNCTION, InvokeFunction
 * on that function only), claim-case has the time a package needs, and Lambda does not retry the event
 * (the job records its own outcome) nor keep it longer than the job's deadline counts on.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { HANDLERS } from '../../infra/service-stack.js';
import { PACKAGE_JOB_DEADLINE_MS, PACKAGE_JOB_QUEUE_MS, PACKAGE_JOB_RUN_MS } from '../../functions/app/package-jobs.js';
import { asArray, buildTestApp, statementsOfRole } from './support.js';

type Res = Record<string, { Type: string; Properties: Record<string, any> }>;

describe('service stack: litigation package jobs', () => {
  const res = Template.fromStack(buildTestApp({ 'claimflow:sesFromAddress': 'collections@acme.ru' }).service).toJSON().Resources as Res;
  const fnOf = (role: keyof typeof HANDLERS) => Object.entries(res).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS[role].description)!;

  it('lets operator-api invoke claim-case (and otherwise only the report worker, test/infra/report-jobs.test.ts) and names it in PACKAGE_WORKER_FUNCTION', () => {
    // Prepare
    const [claimCaseId] = fnOf('claimCase');
    const [weeklyId] = fnOf('weeklySummary');
    const [, operator] = fnOf('operatorApi');

    // Act
    const invokes = statementsOfRole(res, operator.Properties.Role['Fn::GetAtt'][0]).filter((s) => asArray(s.Action as string | string[]).includes('lambda:InvokeFunction'));
    const resources = invokes.flatMap((s) => asArray(s.Resource as unknown));
    const arnsOf = (id: string) => [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, ':*']] }];

    // Assess
    expect(operator.Properties.Environment.Variables.PACKAGE_WORKER_FUNCTION).toEqual({ Ref: claimCaseId });
    expect(new Set(invokes.flatMap((s) => asArray(s.Action as string | string[])))).toEqual(new Set(['lambda:InvokeFunction']));
    expect(resources).toEqual(expect.arrayContaining(arnsOf(claimCaseId)));
    expect(resources.filter((r) => !JSON.stringify(r).includes(claimCaseId))).toEqual(arnsOf(weeklyId));
  });

  it("gives the build claim-case's 300 s, no Lambda retry, and an event age the job deadline counts in", () => {
    // Prepare
    const [claimCaseId, claimCase] = fnOf('claimCase');

    // Act
    const config = Object.values(res).find((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && r.Properties.FunctionName.Ref === claimCaseId);

    // Assess
    expect(claimCase.Properties.Timeout * 1000).toBe(PACKAGE_JOB_RUN_MS);
    expect(HANDLERS.operatorApi.timeout).toBeLessThan(30);
    expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: PACKAGE_JOB_QUEUE_MS / 1000 });
    expect(PACKAGE_JOB_DEADLINE_MS).toBeGreaterThan(PACKAGE_JOB_QUEUE_MS + PACKAGE_JOB_RUN_MS);
  });
});
