/**
 * What starts work without a caller: the Tuesday/Friday schedule (EventBridge Scheduler → start-run),
 * a bank file uploaded to the imports bucket (S3 → EventBridge → bank-import) and SES bounces and
 * complaints (configuration set → EventBridge → ses-feedback). Each target has its retries and a DLQ.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cronFields } from '../../workflows/cron.js';
import { dunningCron } from '../../workflows/schedule.js';
import type { ClaimflowConfig } from '../config.js';

export interface DunningScheduleProps {
  prefix: string;
  config: Pick<ClaimflowConfig, 'runHour' | 'runMinute' | 'timeZone' | 'schedule'>;
  startRun: lambda.IFunction;
  deadLetterQueue: sqs.IQueue;
}

/** The Tuesday/Friday dunning schedule. */
export class DunningSchedule extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: DunningScheduleProps) {
    super(scope, id);
    const cfg = props.config;
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `${props.prefix}-dunning-run`,
      description: `Dunning run every Tuesday and Friday at ${String(cfg.runHour).padStart(2, '0')}:${String(cfg.runMinute).padStart(2, '0')} ${cfg.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ ...cronFields(dunningCron(cfg.schedule)), timeZone: TimeZone.of(cfg.timeZone) }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new schedulerTargets.LambdaInvoke(props.startRun, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}

/** A bank file uploaded under `prefix` in the imports bucket invokes bank-import. */
export class BankUploadTrigger extends Construct {
  constructor(scope: Construct, id: string, props: { bucket: s3.IBucket; prefix: string; target: lambda.IFunction; deadLetterQueue: sqs.IQueue }) {
    super(scope, id);
    new events.Rule(this, 'Rule', {
      description: `A 1C client-bank file was uploaded under ${props.prefix} in the imports bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: events.Match.prefix(props.prefix) } },
      },
      targets: [new eventTargets.LambdaFunction(props.target, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }
}

/** An SES send, bounce or complaint of a letter sent through the configuration set invokes ses-feedback. */
export class SesFeedbackTrigger extends Construct {
  constructor(scope: Construct, id: string, props: { configurationSetName: string; target: lambda.IFunction; deadLetterQueue: sqs.IQueue }) {
    super(scope, id);
    new events.Rule(this, 'Rule', {
      description: 'SES send, bounce or complaint for a letter sent through the claimflow configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received', 'Email Sent'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
      targets: [new eventTargets.LambdaFunction(props.target, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }
}
