/**
 * The ClaimCase state machine (Standard, JSONPath): one execution per approval request of a claim
 * case. It records the case for approval, waits for the legal team (task token stored on the case;
 * `claimflow case approve` / the operator API answers it), and builds the litigation package when
 * approved. Built once: the CDK stack deploys buildClaimCaseFlow; the local runner executes
 * localClaimCaseAsl() in-process with localApprovalWaiter (bin/local/approval.ts) standing in for the task-token wait.
 *
 * State names are words a collections clerk understands (they are what operators read in the console).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { renderAsl, THROTTLE_ERRORS, THROTTLE_RETRY, TRANSIENT_ERRORS } from './dunning-run.js';

export interface ClaimCaseFunctions {
  /** Moves the case to awaiting-approval and returns its brief (handler action "record"). */
  recordCase: lambda.IFunction;
  /** Stores the task token on the case (action "wait"); answers at once if already decided. */
  waitForApproval: lambda.IFunction;
  /** Builds and stores the litigation package (action "package"). */
  buildPackage: lambda.IFunction;
}

export const CLAIM_STATE = {
  record: 'Record the case for approval',
  wait: "Wait for the legal team's approval",
  approved: 'Approved?',
  build: 'Build the litigation package',
  readyToFile: 'Claim period over?',
  ready: 'Case ready for court',
  claimPeriod: 'Package built; the claim period is still running',
  stays: 'Case stays in pre-trial work',
} as const;

/** How long the legal team has to decide before the execution gives up (the case keeps its status). */
export const APPROVAL_TIMEOUT = Duration.days(14);
export const CLAIM_CASE_TIMEOUT = Duration.days(15);

export function buildClaimCaseFlow(scope: Construct, fns: ClaimCaseFunctions): sfn.IChainable {
  const record = new tasks.LambdaInvoke(scope, CLAIM_STATE.record, {
    comment: 'Marks the case as awaiting the legal team and shows its figures: principal, penalty, duty, total.',
    lambdaFunction: fns.recordCase,
    payload: sfn.TaskInput.fromObject({ action: 'record', 'caseId.$': '$.caseId', 'executionName.$': '$$.Execution.Name' }),
    payloadResponseOnly: true,
    resultPath: '$.case',
    retryOnServiceExceptions: false,
  });
  record.addRetry({ errors: THROTTLE_ERRORS, ...THROTTLE_RETRY, jitterStrategy: sfn.JitterType.FULL });
  record.addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });

  const wait = new tasks.LambdaInvoke(scope, CLAIM_STATE.wait, {
    comment: 'Stores this wait on the case; a lawyer approves or rejects with `claimflow case approve|reject`.',
    lambdaFunction: fns.waitForApproval,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      action: 'wait',
      'caseId.$': '$.caseId',
      taskToken: sfn.JsonPath.taskToken,
      'executionName.$': '$$.Execution.Name',
    }),
    resultPath: '$.decision',
    taskTimeout: sfn.Timeout.duration(APPROVAL_TIMEOUT),
    retryOnServiceExceptions: false,
  });
  wait.addRetry({ errors: THROTTLE_ERRORS, ...THROTTLE_RETRY, jitterStrategy: sfn.JitterType.FULL });
  wait.addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });

  const build = new tasks.LambdaInvoke(scope, CLAIM_STATE.build, {
    comment: 'Claim calculation, reconciliation statement, invoices, letters sent, court type and duty, limitation warnings.',
    lambdaFunction: fns.buildPackage,
    payload: sfn.TaskInput.fromObject({ action: 'package', 'caseId.$': '$.caseId' }),
    payloadResponseOnly: true,
    resultPath: '$.package',
    retryOnServiceExceptions: false,
  });
  build.addRetry({ errors: THROTTLE_ERRORS, ...THROTTLE_RETRY, jitterStrategy: sfn.JitterType.FULL });
  build.addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });

  const ready = new sfn.Succeed(scope, CLAIM_STATE.ready, { comment: 'The package is stored; the lawyer files it.' });
  const claimPeriod = new sfn.Succeed(scope, CLAIM_STATE.claimPeriod, {
    comment:
      'The package is stored, but no suit before the claim period has run (or an owed invoice had no claim): the case stays approved; build the package again from the first filing day.',
  });
  const readyToFile = new sfn.Choice(scope, CLAIM_STATE.readyToFile).when(sfn.Condition.booleanEquals('$.package.readyToFile', true), ready).otherwise(claimPeriod);
  const stays = new sfn.Succeed(scope, CLAIM_STATE.stays, { comment: 'Rejected, closed, or no decision in time: the case goes on in pre-trial work.' });
  wait.addCatch(stays, { errors: ['States.Timeout'], resultPath: '$.timedOut' });

  const approved = new sfn.Choice(scope, CLAIM_STATE.approved).when(sfn.Condition.stringEquals('$.decision.decision', 'approved'), build.next(readyToFile)).otherwise(stays);

  return record.next(wait).next(approved);
}

/** Literal ARNs the local runner maps back to handlers. */
export const LOCAL_CLAIM_FUNCTION_ARNS: Record<keyof ClaimCaseFunctions, string> = {
  recordCase: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-claim-record',
  waitForApproval: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-claim-wait',
  buildPackage: 'arn:aws:lambda:eu-central-1:000000000000:function:claimflow-claim-package',
};

/** The Resource a LambdaInvoke with WAIT_FOR_TASK_TOKEN renders (the function goes into Parameters.FunctionName). */
export const WAIT_FOR_TOKEN_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The definition as deployed (ASL), with functions imported by literal ARN. */
export function claimCaseAsl(arns: Record<keyof ClaimCaseFunctions, string> = LOCAL_CLAIM_FUNCTION_ARNS): Record<string, unknown> {
  const stack = new Stack(new App(), 'LocalClaimCase', { env: { account: '000000000000', region: 'eu-central-1' } });
  const fns = Object.fromEntries(Object.entries(arns).map(([k, arn]) => [k, lambda.Function.fromFunctionArn(stack, `${k}Fn`, arn)])) as unknown as ClaimCaseFunctions;
  return withPartition(renderAsl(stack, buildClaimCaseFlow(stack, fns), CLAIM_CASE_TIMEOUT), 'aws') as Record<string, unknown>;
}

/**
 * Service-integration Resources render as {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ...]]}:
 * CloudFormation fills in the partition on deploy; outside CloudFormation it is filled in here.
 */
function withPartition(v: unknown, partition: string): unknown {
  if (Array.isArray(v)) return v.map((x) => withPartition(x, partition));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const join = o['Fn::Join'] as [string, unknown[]] | undefined;
    if (join && Object.keys(o).length === 1 && Array.isArray(join[1])) {
      const parts = join[1].map((p) => (p && typeof p === 'object' && (p as { Ref?: string }).Ref === 'AWS::Partition' ? partition : p));
      if (parts.every((p) => typeof p === 'string')) return parts.join(join[0]);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withPartition(x, partition)]));
  }
  return v;
}

/**
 * The same definition for aws-local-stepfunctions 3.0.0, which has no `$$.Task.Token` in its context
 * object: the wait state's token is taken from `$$.Execution.Name` instead (one wait per execution, so
 * it identifies the wait). Nothing else changes.
 */
export function localClaimCaseAsl(arns: Record<keyof ClaimCaseFunctions, string> = LOCAL_CLAIM_FUNCTION_ARNS): Record<string, unknown> {
  const asl = claimCaseAsl(arns) as { States: Record<string, { Parameters?: { Payload?: Record<string, unknown> } }> };
  const payload = asl.States[CLAIM_STATE.wait]?.Parameters?.Payload;
  if (payload?.['taskToken.$'] !== '$$.Task.Token') throw new Error(`state "${CLAIM_STATE.wait}" has no task token in its payload`);
  delete payload['taskToken.$'];
  payload['taskToken.$'] = '$$.Execution.Name';
  return asl;
}

/**
 * The `arns` map to pass to executeLocally (bin/local/state-machine.ts): its localOverrides maps a
 * Task's Resource to a handler key, and the wait state's Resource is the waitForTaskToken integration,
 * so the key `waitForApproval` maps to that Resource. Handlers: { recordCase, waitForApproval, buildPackage }.
 */
export function localClaimCaseResources(arns: Record<keyof ClaimCaseFunctions, string> = LOCAL_CLAIM_FUNCTION_ARNS): Record<keyof ClaimCaseFunctions, string> {
  return { recordCase: arns.recordCase, waitForApproval: WAIT_FOR_TOKEN_RESOURCE, buildPackage: arns.buildPackage };
}
