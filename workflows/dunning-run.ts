/**
 * The DunningRun state machine, built once. The CDK service stack deploys it; the local runner
 * resolves the very same definition to ASL (dunningRunAsl) and executes it in-process.
 *
 * State names are words a collections clerk understands: they are what operators read in the
 * Step Functions console.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { emptyTotals } from '../functions/app/run-totals.js';

export interface DunningRunFunctions {
  findDebtors: lambda.IFunction;
  processCustomer: lambda.IFunction;
  summarizeRun: lambda.IFunction;
}

export const STATE = {
  start: 'Start the dunning run',
  find: 'Find customers with debts due',
  each: 'Process each customer',
  decide: 'Decide and send letters to the customer',
  failed: 'Record the customer as failed',
  tally: "Keep the customer's tally",
  failedUnrecorded: 'Count the customer as failed',
  addUp: 'Add up this batch of customers',
  more: 'More customers to process?',
  nextPage: 'Go to the next batch of customers',
  finish: 'Finish the run and send the digest',
  done: 'Dunning run complete',
} as const;

/**
 * Customers per page of the debtor list; each page is one Map state run. The Map's result (one tally
 * per customer, at most ~1 KB with a 128-character id, four stages and a few currencies) and the page's
 * ids stay well inside Step Functions' 256 KB per state; test/unit/local/state-data-limit.test.ts runs
 * the definition with worst-case outputs through the local runner, which enforces that limit.
 */
export const CUSTOMERS_PER_BATCH = 100;
/** Customers processed at once inside a batch (default; infra/config.ts maxConcurrency sets the deployed value). */
export const MAX_CONCURRENCY = 5;
/** The highest MaxConcurrency the deployed and the local settings accept. */
export const MAX_CONCURRENCY_LIMIT = 200;
/** Step Functions' limit on a state's input or output (UTF-8 bytes of the JSON). */
export const STATE_DATA_LIMIT_BYTES = 256 * 1024;

/**
 * Task timeouts, equal to the Lambda timeouts the service stack gives each function (infra reads
 * these): a hung task fails instead of waiting, and the local runner (whose default is 60 s) gets the
 * same limits as the cloud.
 */
export const TASK_TIMEOUTS = { findDebtors: Duration.seconds(120), processCustomer: Duration.seconds(180), summarizeRun: Duration.seconds(900) } as const;

/** Errors worth retrying: Lambda service hiccups and the use cases' TransientError (throttling, timeouts). */
export const TRANSIENT_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'TransientError'];

/**
 * Lambda throttling (the account's concurrency is used up, e.g. by the webhooks): transient, but it
 * needs time rather than a quick retry. 10 s, doubling, at most 2 min apart, 8 attempts: about 10 min
 * of patience before a customer is recorded as failed.
 */
export const THROTTLE_ERRORS = ['Lambda.TooManyRequestsException'];
export const THROTTLE_RETRY = { interval: Duration.seconds(10), maxAttempts: 8, backoffRate: 2, maxDelay: Duration.minutes(2) } as const;

/** Retries a task: throttling with the long backoff, other transient errors 2 s doubling; full jitter. */
function retryTransient(task: tasks.LambdaInvoke, maxAttempts: number): void {
  task.addRetry({ errors: THROTTLE_ERRORS, ...THROTTLE_RETRY, jitterStrategy: sfn.JitterType.FULL });
  task.addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(2), maxAttempts, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
}

/**
 * One Lambda step of the run: the function's own answer is the state's result (no Lambda envelope),
 * the task times out with its function, and the transient errors are retried (retryTransient); the SDK
 * integration's own service-exception retry is off, so the Retry list here is all there is.
 */
function lambdaTask(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  timeout: Duration,
  attempts: number,
  props: { comment: string; payload?: Record<string, unknown>; resultPath?: string },
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    comment: props.comment,
    lambdaFunction: fn,
    ...(props.payload ? { payload: sfn.TaskInput.fromObject(props.payload) } : {}),
    payloadResponseOnly: true,
    taskTimeout: sfn.Timeout.duration(timeout),
    ...(props.resultPath ? { resultPath: props.resultPath } : {}),
    retryOnServiceExceptions: false,
  });
  retryTransient(task, attempts);
  return task;
}

export interface DunningRunOptions {
  /** MaxConcurrency of the per-customer Map (default MAX_CONCURRENCY). */
  maxConcurrency?: number;
}

export function buildDunningRun(scope: Construct, fns: DunningRunFunctions, opts: DunningRunOptions = {}): sfn.IChainable {
  const start = new sfn.Pass(scope, STATE.start, {
    comment: 'Takes the run date (the scheduled Tuesday or Friday) and starts with empty totals.',
    parameters: {
      'runDate.$': '$.runDate',
      'executionName.$': '$$.Execution.Name',
      'request.$': '$',
      page: { customerIds: [], nextToken: '' },
      totals: emptyTotals(),
    },
  });

  const find = lambdaTask(scope, STATE.find, fns.findDebtors, TASK_TIMEOUTS.findDebtors, 4, {
    comment: 'Lists customers with an open invoice due within the reminder window or overdue, one batch at a time.',
    payload: { 'runDate.$': '$.runDate', 'page.$': '$.page', pageSize: CUSTOMERS_PER_BATCH },
    resultPath: '$.page',
  });

  const decide = lambdaTask(scope, STATE.decide, fns.processCustomer, TASK_TIMEOUTS.processCustomer, 3, {
    comment: 'Checks each open invoice against the policy and the ledger, then sends the letters that are due.',
  });
  // The item's output is its tally: what the run totals need, bounded whatever the customer's book.
  // Everything that was decided and sent stays readable as the output of the decide state above.
  const tally = new sfn.Pass(scope, STATE.tally, {
    comment: 'Keeps what the run totals need: the status and, per letter, its stage, outcome and amounts.',
    parameters: { 'customerId.$': '$.customerId', 'status.$': '$.status', 'tally.$': '$.tally' },
  });
  // A failing customer is recorded with its cause here, so the cause never travels in the batch.
  const failed = lambdaTask(scope, STATE.failed, fns.summarizeRun, TASK_TIMEOUTS.summarizeRun, 3, {
    comment: 'One failing customer is recorded with the cause and counted; the run goes on.',
    payload: {
      action: 'recordFailure',
      'runDate.$': '$.runDate',
      'executionName.$': '$.executionName',
      'customerId.$': '$.customerId',
      'error.$': '$.failure.Error',
      'cause.$': '$.failure.Cause',
    },
  });
  const failedUnrecorded = new sfn.Pass(scope, STATE.failedUnrecorded, {
    comment: 'The failure could not be recorded either: counted in the run, with its error name.',
    parameters: { 'customerId.$': '$.customerId', status: 'failed', 'error.$': '$.failure.Error' },
  });
  failed.addCatch(failedUnrecorded, { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
  decide.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
  decide.next(tally);

  const each = new sfn.DistributedMap(scope, STATE.each, {
    comment: 'Each customer is one Map item: its input and output show what was decided and sent.',
    itemsPath: '$.page.customerIds',
    itemSelector: {
      'customerId.$': '$$.Map.Item.Value',
      'runDate.$': '$.runDate',
      'executionName.$': '$.executionName',
      'request.$': '$.request',
    },
    maxConcurrency: opts.maxConcurrency ?? MAX_CONCURRENCY,
    resultPath: '$.batch',
    label: 'Customers',
  });
  each.itemProcessor(decide);

  const addUp = lambdaTask(scope, STATE.addUp, fns.summarizeRun, TASK_TIMEOUTS.summarizeRun, 4, {
    comment: 'Adds the batch results to the run totals and records failed customers.',
    payload: { action: 'addUp', 'runDate.$': '$.runDate', 'executionName.$': '$.executionName', 'totals.$': '$.totals', 'batch.$': '$.batch' },
    resultPath: '$.totals',
  });

  const nextPage = new sfn.Pass(scope, STATE.nextPage, {
    comment: 'Drops the finished batch before fetching the next one.',
    parameters: {
      'runDate.$': '$.runDate',
      'executionName.$': '$.executionName',
      'request.$': '$.request',
      'page.$': '$.page',
      'totals.$': '$.totals',
    },
  });

  const finish = lambdaTask(scope, STATE.finish, fns.summarizeRun, TASK_TIMEOUTS.summarizeRun, 4, {
    comment: 'Stores the run record and emails the digest to the collections team.',
    payload: { action: 'finish', 'runDate.$': '$.runDate', 'executionName.$': '$.executionName', 'request.$': '$.request', 'totals.$': '$.totals' },
  });

  const done = new sfn.Succeed(scope, STATE.done);
  const more = new sfn.Choice(scope, STATE.more)
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.page.nextToken'), sfn.Condition.isString('$.page.nextToken')), nextPage.next(find))
    .otherwise(finish.next(done));

  return start.next(find).next(each).next(addUp).next(more);
}

/** Literal ARNs the local runner maps back to handler modules. */
export const LOCAL_FUNCTION_ARNS: Record<keyof DunningRunFunctions, string> = {
  findDebtors: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-find-debtors',
  processCustomer: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-process-customer',
  summarizeRun: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-summarize-run',
};

/** Resolves a chain to the ASL JSON Step Functions would receive. */
export function renderAsl(stack: Stack, chain: sfn.IChainable, timeout?: Duration): Record<string, unknown> {
  const graph = new sfn.StateGraph(chain.startState, 'DunningRun');
  if (timeout) graph.timeout = timeout;
  return stack.resolve(graph.toGraphJson()) as Record<string, unknown>;
}

/** Overall execution timeout (also set on the deployed state machine). */
export const RUN_TIMEOUT = Duration.hours(6);

/** The definition as ASL, with functions imported by literal ARN: what the local runner executes. */
export function dunningRunAsl(
  arns: Record<keyof DunningRunFunctions, string> = LOCAL_FUNCTION_ARNS,
  opts: Pick<DunningRunOptions, 'maxConcurrency'> = {},
): Record<string, unknown> {
  const stack = new Stack(new App(), 'LocalDunningRun', { env: { account: '000000000000', region: 'eu-central-1' } });
  const fns = Object.fromEntries(Object.entries(arns).map(([k, arn]) => [k, lambda.Function.fromFunctionArn(stack, `${k}Fn`, arn)])) as unknown as DunningRunFunctions;
  return renderAsl(stack, buildDunningRun(stack, fns, opts), RUN_TIMEOUT);
}
