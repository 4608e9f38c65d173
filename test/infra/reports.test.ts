/** The weekly-summary schedule and function in the synthesized service stack (fast mode, no bundling). */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HANDLERS } from '../../infra/service-stack.js';
import { buildTestApp } from './support.js';

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
      ScheduleExpression: 'cron(50 23 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      Target: { Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, Input: '{"snapshot":true,"scheduledTime":"<aws.scheduler.scheduled-time>"}' },
    });
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
