/** The weekly-summary schedule and function in the synthesized service stack (fast mode, no bundling). */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HANDLERS } from '../../infra/service-stack.js';
import { buildTestApp } from './support.js';
import { eventBridgeCron } from '../../workflows/cron.js';
import { DAILY_SNAPSHOT_SCHEDULE } from '../../workflows/summary-schedule.js';

const BASE = { 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:alarmEmail': 'ops@acme.ru' };

describe('service stack: weekly management summary', () => {
  it('schedules the summary Monday 08:00 in the company zone with the scheduled time, retries and a DLQ', () => {
    // Act
    const t = Template.fromStack(buildTestApp(BASE).service);
    const fn = Object.entries(t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).find(
      ([, v]) => v.Type === 'AWS::Lambda::Function' && v.Properties.Description === HANDLERS.weeklySummary.description,
    )![0];
    // Assess
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'claimflow-dev-weekly-summary',
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        DeadLetterConfig: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
      },
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'claimflow-dev-daily-snapshot',
      ScheduleExpression: eventBridgeCron(DAILY_SNAPSHOT_SCHEDULE),
      ScheduleExpressionTimezone: 'Europe/Moscow',
      Target: { Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, Input: '{"snapshot":true,"scheduledTime":"<aws.scheduler.scheduled-time>"}' },
    });
  });

  it('gives the function that holds whole books (reports, snapshots) 6 GB and a 5 GB heap', () => {
    // Act
    const t = Template.fromStack(buildTestApp(BASE).service);
    // Assess
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: HANDLERS.weeklySummary.description,
      MemorySize: 6144,
      Timeout: 900,
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps --max-old-space-size=5120' }) },
    });
    const others = Object.values(t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description !== HANDLERS.weeklySummary.description && r.Properties.Environment,
    );
    expect(others.filter((r) => String(r.Properties.Environment.Variables.NODE_OPTIONS ?? '').includes('max-old-space-size'))).toEqual([]);
  });

  it('sends failed summaries and snapshots (schedule delivery and the function after its retry) to their own DLQ, which has an alarm', () => {
    // Prepare
    const t = Template.fromStack(buildTestApp(BASE).service);
    const res = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const fn = Object.entries(res).find(([, v]) => v.Type === 'AWS::Lambda::Function' && v.Properties.Description === HANDLERS.weeklySummary.description)![0];
    const queue = Object.entries(res).find(([, v]) => v.Type === 'AWS::SQS::Queue' && v.Properties.QueueName === 'claimflow-dev-weekly-summary-dlq')?.[0];

    // Act
    const schedules = Object.values(res).filter((v) => v.Type === 'AWS::Scheduler::Schedule' && v.Properties.Target.Arn['Fn::GetAtt']?.[0] === fn);
    const invokeConfig = Object.values(res).find((v) => v.Type === 'AWS::Lambda::EventInvokeConfig' && v.Properties.FunctionName.Ref === fn);
    const alarms = Object.values(res).filter(
      (v) => v.Type === 'AWS::CloudWatch::Alarm' && v.Properties.Namespace === 'AWS/SQS' && v.Properties.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === queue,
    );

    // Assess
    expect(queue).toBeDefined();
    expect(schedules.map((s) => s.Properties.Name).sort()).toEqual(['claimflow-dev-daily-snapshot', 'claimflow-dev-weekly-summary']);
    for (const s of schedules) expect(s.Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } });
    expect(invokeConfig?.Properties).toMatchObject({ MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } } });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      AlarmName: 'claimflow-dev-weekly-summary-dlq-not-empty',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }],
    });
    expect(alarms[0]!.Properties.AlarmDescription).toMatch(/weekly summary/i);
    // The run trigger's DLQ (and its "a dunning run did not start" alarm) no longer receives them.
    const runTrigger = Object.entries(res).find(([, v]) => v.Type === 'AWS::SQS::Queue' && v.Properties.QueueName === 'claimflow-dev-run-trigger-dlq')![0];
    expect(JSON.stringify(schedules.map((s) => s.Properties.Target)) + JSON.stringify(invokeConfig)).not.toContain(runTrigger);
  });

  it('follows the summary schedule of claimflow:reportsConfig and hands the configuration to the functions; a bad one fails synth naming it', () => {
    // Prepare
    const config = { summary: { weekDay: 'FRI', hour: 17, minute: 30, recipients: ['board@acme.ru'] }, targets: { dsoDays: 45 } };
    // Act
    const t = Template.fromStack(buildTestApp({ ...BASE, 'claimflow:reportsConfig': JSON.stringify(config) }).service);
    // Assess
    t.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'claimflow-dev-weekly-summary', ScheduleExpression: 'cron(30 17 ? * FRI *)' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: HANDLERS.weeklySummary.description,
      Environment: { Variables: Match.objectLike({ REPORTS_CONFIG: JSON.stringify(config) }) },
    });
    expect(() => buildTestApp({ ...BASE, 'claimflow:reportsConfig': JSON.stringify({ summary: { hour: 25 } }) })).toThrow(/claimflow:reportsConfig\.summary\.hour/);
  });
});
