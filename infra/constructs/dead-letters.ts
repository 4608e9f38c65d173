/**
 * The dead-letter queues of the service: SSE, TLS only, 14 days to look at a message. One queue per
 * path that can fail asynchronously (failed webhook payloads, run trigger, bank import, SES feedback,
 * the weekly summary and daily snapshot, credit control's schedules). The service stack alarms on every queue that holds a message.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export type DeadLetterPurpose = 'failedPayloads' | 'runTrigger' | 'bankImport' | 'sesFeedback' | 'weeklySummary' | 'creditJobs';

export class DeadLetterQueues extends Construct {
  readonly queues: Record<DeadLetterPurpose, sqs.Queue>;
  /** What a message in each queue means (the alarm's description). */
  readonly purposes = {} as Record<DeadLetterPurpose, string>;

  constructor(scope: Construct, id: string, props: { prefix: string }) {
    super(scope, id);
    const dlq = (key: DeadLetterPurpose, qid: string, name: string, purpose: string): sqs.Queue => {
      this.purposes[key] = purpose;
      const q = new sqs.Queue(this, qid, {
        queueName: `${props.prefix}-${name}`,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(q).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is itself a dead-letter queue (${purpose}); a DLQ for a DLQ would only move the problem.` });
      return q;
    };
    this.queues = {
      failedPayloads: dlq(
        'failedPayloads',
        'FailedPayloadsDlq',
        'failed-payloads',
        'Application DLQ: references to archived payloads whose processing failed (replay them with `claimflow replay`)',
      ),
      runTrigger: dlq('runTrigger', 'RunTriggerDlq', 'run-trigger-dlq', 'Scheduler target and start-run async failures: a dunning run did not start'),
      bankImport: dlq('bankImport', 'BankImportDlq', 'bank-import-dlq', 'Bank-statement uploads whose import could not be delivered or failed'),
      sesFeedback: dlq('sesFeedback', 'SesFeedbackDlq', 'ses-feedback-dlq', 'SES bounce/complaint events that could not be recorded'),
      weeklySummary: dlq(
        'weeklySummary',
        'WeeklySummaryDlq',
        'weekly-summary-dlq',
        'Weekly summary and daily snapshot invocations that could not be delivered or failed after their retries: no summary was emailed, or a day has no snapshot',
      ),
      creditJobs: dlq(
        'creditJobs',
        'CreditJobsDlq',
        'credit-jobs-dlq',
        'Credit event delivery or snapshot sweep invocations that failed after their retries: events wait in the outbox for the next tick; a failed sweep leaves holds unstarted until the next hour',
      ),
    };
  }
}
