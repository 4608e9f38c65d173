/**
 * The two state machines: DunningRun (the Tuesday/Friday run over every customer with debts due) and
 * ClaimCase (a claim case moved to litigation waits for an operator with the legal role, then the
 * litigation package is built). The definitions come from workflows/ (the local runner executes the
 * very same ones), so no `comment` or other decoration is added here.
 */
import { Aws, Fn, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildClaimCaseFlow, CLAIM_CASE_TIMEOUT, type ClaimCaseFunctions } from '../../workflows/claim-case.js';
import { buildDunningRun, RUN_TIMEOUT, type DunningRunFunctions } from '../../workflows/dunning-run.js';

export interface WorkflowProps {
  prefix: string;
  logRemoval: RemovalPolicy;
  /** MaxConcurrency of the DunningRun Map (infra/config.ts maxConcurrency). */
  maxConcurrency?: number;
}

/**
 * Execution logs: under /aws/vendedlogs/ (the prefix Step Functions recommends for its log delivery),
 * named per stack instance: the log group is kept (retainData) when the stack is deleted, so a fixed
 * name would make the next deploy of the stack fail on "already exists". The suffix is the id of the
 * CloudFormation stack that created it. Levels ALL without execution data: every state transition,
 * but no inputs and outputs (they carry task tokens and customers' personal data).
 */
function executionLogs(scope: Construct, id: string, name: string, removalPolicy: RemovalPolicy): logs.LogGroup {
  const stackInstance = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return new logs.LogGroup(scope, id, {
    logGroupName: `/aws/vendedlogs/states/${name}-${stackInstance}`,
    retention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy,
  });
}

/** The DunningRun state machine (construct id "DunningRun": its logical id starts so, infra/nag.ts relies on it). */
export class DunningRunWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps & { functions: DunningRunFunctions }) {
    super(scope, id);
    const runLogs = executionLogs(this, 'Logs', `${props.prefix}-dunning-run`, props.logRemoval);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${props.prefix}-dunning-run`,
      definitionBody: sfn.DefinitionBody.fromChainable(buildDunningRun(this, props.functions, props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency })),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: RUN_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: runLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }
}

/** The ClaimCase state machine; its states live in their own scope so their ids cannot meet DunningRun's. */
export class ClaimCaseWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps & { functions: ClaimCaseFunctions }) {
    super(scope, id);
    const claimLogs = executionLogs(this, 'Logs', `${props.prefix}-claim-case`, props.logRemoval);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${props.prefix}-claim-case`,
      definitionBody: sfn.DefinitionBody.fromChainable(buildClaimCaseFlow(new Construct(this, 'States'), props.functions)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: CLAIM_CASE_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: claimLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }
}

/**
 * The task-token answers a function sends (no SendTaskHeartbeat: nothing here heartbeats). These
 * actions have no resource-level permissions (the Service Authorization Reference lists no resource
 * type for them), so the statement names Resource "*"; the task token itself is the capability. The
 * wildcard is acknowledged in infra/nag.ts (rule task-token-answers).
 */
export function grantTaskTokenAnswers(fn: lambda.IFunction, actions: ('states:SendTaskSuccess' | 'states:SendTaskFailure')[]): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'AnswerClaimCaseApprovalTaskTokens', actions, resources: ['*'] }));
}
