/**
 * Receivables reports in AWS: the weekly management summary on its own EventBridge Scheduler
 * schedule (default Monday 08:00 in the company time zone, the cron of workflows/summary-schedule.ts
 * that the local scheduler runs too) invoking the weekly-summary function, which reads the table,
 * writes reports/weekly-summary/<date>.pdf|json to the documents bucket and emails the PDF. One Lambda
 * invocation per week, found by date: its log line `weekly summary` with `summaryDate`, and the two
 * objects named after the date. The operator API's report routes get the same REPORTS_CONFIG. The same
 * function builds operators' report jobs (invoked asynchronously by operator-api).
 *
 * The report configuration comes from the context key `claimflow:reportsConfig` (JSON, the shape of
 * functions/domain/reports/config.ts); a bad value fails synth naming the field.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { parseReportsConfig, type ReportsConfig } from '../../functions/domain/reports/config.js';
import { REPORT_JOB_QUEUE_MS } from '../../functions/app/report-jobs.js';
import { cronFields } from '../../workflows/cron.js';
import { DAILY_SNAPSHOT_SCHEDULE, summaryCron } from '../../workflows/summary-schedule.js';
import { bind } from './bindings.js';
import type { LetterEmail } from './email.js';
import { DOCUMENT_PREFIXES } from '../stateful-stack.js';

/** Where reports write in the documents bucket. */
export const REPORTS_PREFIX = DOCUMENT_PREFIXES.reports;

export interface ReportsProps {
  prefix: string;
  timeZone: string;
  weeklySummary: lambda.Function;
  operatorApi: lambda.Function;
  table: dynamodb.ITable;
  documentsBucket: s3.IBucket;
  email: LetterEmail;
  deadLetterQueue: sqs.IQueue;
}

export class ClaimflowReports extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly snapshotSchedule: scheduler.Schedule;
  readonly config: ReportsConfig;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    const raw = this.node.tryGetContext('claimflow:reportsConfig') as unknown;
    this.config = parseReportsConfig(typeof raw === 'string' ? raw : raw === undefined ? undefined : JSON.stringify(raw), 'claimflow:reportsConfig');
    const json = raw === undefined ? undefined : typeof raw === 'string' ? raw : JSON.stringify(raw);
    const fn = props.weeklySummary;
    // Reads every customer's book (a parallel Scan), writes the summary under reports/, emails it.
    const b = bind(fn)
      .table(props.table, 'read', { scan: true })
      .documents(props.documentsBucket, { [REPORTS_PREFIX]: 'readWrite' })
      .sends(props.email);
    if (json) {
      b.setting('REPORTS_CONFIG', json);
      bind(props.operatorApi).setting('REPORTS_CONFIG', json);
    }
    // Scheduler invokes asynchronously: one more attempt (the summary's JSON record keeps a date from
    // being sent twice once it is written), then the failed event goes to the DLQ. The same function
    // builds report jobs (below): an event waits at most REPORT_JOB_QUEUE_MS, which the job's deadline
    // counts in (functions/app/report-jobs.ts); the retry after a crash falls inside it.
    fn.configureAsyncInvoke({ onFailure: new SqsDestination(props.deadLetterQueue), retryAttempts: 1, maxEventAge: Duration.millis(REPORT_JOB_QUEUE_MS) });

    // Report jobs (functions/app/report-jobs.ts): a report that reads the whole ledger outlasts API
    // Gateway's 29 s, so operator-api records a job and invokes this function asynchronously (900 s and
    // the memory of HANDLERS.weeklySummary; InvokeFunction on it, its name in REPORT_WORKER_FUNCTION).
    // The worker settles the job record (UpdateItem) and writes the file under reports/jobs/ (its
    // reports/ grant above), which operator-api serves at GET /operator/documents?key=… (its reports/
    // read grant, service-stack.ts).
    bind(props.operatorApi).invokes('REPORT_WORKER_FUNCTION', fn);
    bind(fn).table(props.table, ['dynamodb:UpdateItem']);
    // {"maintenance": "index-backfill"}: the one-off search and balance index back-fills add the index
    // keys to old summaries (UpdateItem, above) and record that they ran (a CONFIG marker: PutItem).
    bind(fn).table(props.table, ['dynamodb:PutItem']);

    const s = this.config.summary;
    const at = `${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
    this.schedule = new scheduler.Schedule(this, 'WeeklySummary', {
      scheduleName: `${props.prefix}-weekly-summary`,
      description: `Weekly receivables summary every ${s.weekDay} at ${at} ${props.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ ...cronFields(summaryCron(s)), timeZone: TimeZone.of(props.timeZone) }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new schedulerTargets.LambdaInvoke(fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    // The nightly snapshot of the day (reports/snapshots/<date>.json): dynamics and past dates read it.
    this.snapshotSchedule = new scheduler.Schedule(this, 'DailySnapshot', {
      scheduleName: `${props.prefix}-daily-snapshot`,
      description: `Daily receivables snapshot at ${String(DAILY_SNAPSHOT_SCHEDULE.hour).padStart(2, '0')}:${String(DAILY_SNAPSHOT_SCHEDULE.minute).padStart(2, '0')} ${props.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ ...cronFields(DAILY_SNAPSHOT_SCHEDULE), timeZone: TimeZone.of(props.timeZone) }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new schedulerTargets.LambdaInvoke(fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ snapshot: true, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
