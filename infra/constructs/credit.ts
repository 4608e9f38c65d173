/**
 * Credit control in AWS (docs/credit.md):
 *  - the machine API: POST /credit/checks and POST /credit/reservations on the HTTP API → credit-api
 *    (public like the webhooks; each request authenticated inside by its HMAC signature with the
 *    "credit" keys of the webhook secret document; the stage is throttled). IAM callers use the
 *    operator routes /operator/credit/checks|reservations instead;
 *  - the outgoing events: an EventBridge bus `<prefix>-credit` (source claimflow.credit);
 *  - the schedules of workflows/credit-schedule.ts (the same definitions the local stack runs), as
 *    EventBridge Scheduler schedules in the company zone invoking credit-jobs: delivery every minute
 *    (webhooks and EventBridge, retried with backoff, dead-lettered, replayable) and the hourly sweep;
 *  - the credit settings (CREDIT_*) of every function that composes credit control: the ones whose
 *    writes change a snapshot's inputs (webhook, bank-import, process-customer, operator-api) store
 *    the events, credit-api serves checks, credit-jobs delivers and sweeps.
 *
 * Settings come from the context key `claimflow:credit` (JSON): {"webhookUrls": ["https://…"],
 * "holdStart": "days-overdue"|"warning-deadline", "principalRoles": {"role/sales-head": ["head_of_sales"]},
 * "eventBridge": true, "policy": {…}}; a bad value fails synth naming the field.
 */
import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { CREDIT_SCHEDULES } from '../../workflows/credit-schedule.js';
import { cronFields } from '../../workflows/cron.js';
import { parseCreditPolicy } from '../../functions/domain/credit/policy.js';
import { ROLES } from '../../functions/domain/roles.js';
import { bind } from './bindings.js';

/** The machine routes (POST), served by credit-api. */
export const CREDIT_ROUTES = ['/credit/checks', '/credit/reservations'] as const;

const zCreditContext = z
  .object({
    webhookUrls: z.array(z.url({ protocol: /^https$/ })).default([]),
    holdStart: z.enum(['days-overdue', 'warning-deadline']).optional(),
    principalRoles: z.record(z.string().min(1), z.array(z.enum(ROLES))).optional(),
    eventBridge: z.boolean().default(true),
    policy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type CreditContext = z.infer<typeof zCreditContext>;

/** `claimflow:credit` validated; throws naming the field. */
export function parseCreditContext(raw: unknown): CreditContext {
  let value: unknown = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new Error(`claimflow:credit must be JSON: ${(err as Error).message}`);
    }
  }
  const r = zCreditContext.safeParse(value);
  if (!r.success) throw new Error(`claimflow:credit: ${r.error.issues.map((i) => `${i.path.join('.') || '(value)'} ${i.message}`).join('; ')}`);
  if (r.data.policy) {
    try {
      parseCreditPolicy(r.data.policy);
    } catch (err) {
      throw new Error(`claimflow:credit: policy: ${(err as Error).message}`);
    }
  }
  return r.data;
}

export interface CreditProps {
  prefix: string;
  timeZone: string;
  /** DUNNING_POLICY of credit-api and credit-jobs (the warning letter's "pay within" days decide the warning-deadline hold). */
  dunningPolicy: string;
  table: dynamodb.ITable;
  webhookSecrets: secretsmanager.ISecret;
  httpApi: apigwv2.HttpApi;
  creditApi: lambda.Function;
  creditJobs: lambda.Function;
  /** Functions whose writes change credit snapshots (they refresh them inline and store the events); the service stack gives them COMPANY_TIME_ZONE and DUNNING_POLICY. */
  producers: lambda.Function[];
  deadLetterQueue: sqs.IQueue;
}

export class ClaimflowCredit extends Construct {
  readonly bus: events.EventBus;
  readonly schedules: Record<string, scheduler.Schedule> = {};
  readonly settings: CreditContext;

  constructor(scope: Construct, id: string, props: CreditProps) {
    super(scope, id);
    const cfg = (this.settings = parseCreditContext(this.node.tryGetContext('claimflow:credit')));
    this.bus = new events.EventBus(this, 'Events', {
      eventBusName: `${props.prefix}-credit`,
      description: 'claimflow credit control: held, released, overrides, category changes',
    });

    // The same CREDIT_* settings for every function that composes credit control. Its hold rules also read the
    // company's day and the warning letter's deadline (COMPANY_TIME_ZONE, DUNNING_POLICY): the service stack
    // sets those on the producers (infra/service-stack.ts), this construct on its own two functions.
    const settings = (fn: lambda.Function) => {
      const b = bind(fn);
      if (cfg.webhookUrls.length) b.setting('CREDIT_WEBHOOK_URLS', cfg.webhookUrls.join(','));
      b.setting('CREDIT_EVENTBRIDGE', cfg.eventBridge ? 'on' : 'off');
      if (cfg.holdStart) b.setting('CREDIT_HOLD_START', cfg.holdStart);
      if (cfg.principalRoles) b.setting('CREDIT_PRINCIPAL_ROLES', JSON.stringify(cfg.principalRoles));
      if (cfg.policy) b.setting('CREDIT_POLICY', JSON.stringify(cfg.policy));
      return b;
    };
    for (const fn of props.producers) settings(fn);
    const own = (fn: lambda.Function) => settings(fn).setting('COMPANY_TIME_ZONE', props.timeZone).setting('DUNNING_POLICY', props.dunningPolicy);

    // credit-api: reads snapshots, writes reservations (and refreshes a snapshot it finds missing), HMAC keys.
    own(props.creditApi).table(props.table, 'write').webhookSecrets(props.webhookSecrets);
    // credit-jobs: delivers (signing with the first "credit" key; EventBridge on its bus only) and sweeps.
    own(props.creditJobs).table(props.table, 'write').webhookSecrets(props.webhookSecrets).eventBus(this.bus);

    const integration = new HttpLambdaIntegration('CreditIntegration', props.creditApi);
    for (const path of CREDIT_ROUTES) {
      const [route] = props.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.POST], integration });
      Validations.of(route!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Order systems (1C:УТ and the like) sign each request with HMAC-SHA256 like the billing webhook; credit-api verifies the signature and the timestamp (±300 s) and answers 401 before reading anything; the stage is throttled. IAM callers use /operator/credit/*.',
      });
    }

    // Scheduler invokes asynchronously: Lambda retries once, then the failed event goes to the DLQ.
    props.creditJobs.configureAsyncInvoke({ onFailure: new SqsDestination(props.deadLetterQueue), retryAttempts: 1, maxEventAge: Duration.minutes(30) });
    for (const job of CREDIT_SCHEDULES) {
      const name = job.job === 'deliver' ? 'Deliver' : 'Sweep';
      this.schedules[job.job] = new scheduler.Schedule(this, `${name}Schedule`, {
        scheduleName: `${props.prefix}-credit-${job.job}`,
        description: job.description,
        schedule: scheduler.ScheduleExpression.cron({ ...cronFields(job.cron), timeZone: TimeZone.of(props.timeZone) }),
        timeWindow: scheduler.TimeWindow.off(),
        target: new schedulerTargets.LambdaInvoke(props.creditJobs, {
          input: scheduler.ScheduleTargetInput.fromObject({ job: job.job, scheduledTime: scheduler.ContextAttribute.scheduledTime }),
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(job.job === 'deliver' ? 5 : 60),
        }),
      });
    }
  }
}
