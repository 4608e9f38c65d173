import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { allStates, localOverrides } from '../../../bin/local/state-machine.js';
import {
  buildClaimCaseFlow,
  CLAIM_STATE,
  claimCaseAsl,
  localClaimCaseAsl,
  localClaimCaseResources,
  LOCAL_CLAIM_FUNCTION_ARNS,
  WAIT_FOR_TOKEN_RESOURCE,
  type ClaimCaseFunctions,
} from '../../../workflows/claim-case.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (d: unknown, o?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errorsText: (s?: string) => string };
type Asl = { StartAt: string; States: Record<string, Record<string, any>>; TimeoutSeconds?: number };

describe('ClaimCase definition', () => {
  it('is valid ASL with clerk-readable states and a task-token wait', () => {
    // Act
    const asl = claimCaseAsl() as Asl;
    const v = aslValidator(asl, { checkPaths: true, checkArn: true });
    const wait = asl.States[CLAIM_STATE.wait]!;
    // Assess
    expect(v.errorsText()).toBe('');
    expect(v.isValid).toBe(true);
    expect(asl.StartAt).toBe('Record the case for approval');
    expect(Object.keys(asl.States).sort()).toEqual(Object.values(CLAIM_STATE).sort());
    expect(wait.Resource).toBe(WAIT_FOR_TOKEN_RESOURCE);
    expect(wait.Parameters).toEqual({
      FunctionName: LOCAL_CLAIM_FUNCTION_ARNS.waitForApproval,
      Payload: { action: 'wait', 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token', 'executionName.$': '$$.Execution.Name' },
    });
    expect(wait.TimeoutSeconds).toBe(14 * 24 * 3600);
    expect(wait.Catch).toEqual([{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: CLAIM_STATE.stays }]);
    expect(asl.States[CLAIM_STATE.approved]!.Choices).toEqual([{ Variable: '$.decision.decision', StringEquals: 'approved', Next: CLAIM_STATE.build }]);
    // Not "ready for court" before the claim period has run.
    expect(asl.States[CLAIM_STATE.build]!.Next).toBe(CLAIM_STATE.readyToFile);
    expect(asl.States[CLAIM_STATE.readyToFile]!.Choices).toEqual([{ Variable: '$.package.readyToFile', BooleanEquals: true, Next: CLAIM_STATE.ready }]);
    expect(asl.States[CLAIM_STATE.readyToFile]!.Default).toBe(CLAIM_STATE.claimPeriod);
  });

  it('the local variant differs only in the token source, and executeLocally can map every task', () => {
    // Prepare
    const cloud = claimCaseAsl() as Asl;
    const local = localClaimCaseAsl() as Asl;
    // Act
    const overrides = localOverrides(local as never, localClaimCaseResources(), { recordCase: async () => 1, waitForApproval: async () => 2, buildPackage: async () => 3 });
    cloud.States[CLAIM_STATE.wait]!.Parameters.Payload['taskToken.$'] = '$$.Execution.Name';
    // Assess
    expect(local).toEqual(cloud);
    expect(Object.keys(overrides.taskResourceLocalHandlers).sort()).toEqual([CLAIM_STATE.build, CLAIM_STATE.record, CLAIM_STATE.wait].sort());
    expect(allStates(local as never)).toHaveLength(8);
    expect(aslValidator(local, { checkPaths: true, checkArn: true }).isValid).toBe(true);
  });

  it('deploys as a Standard state machine in CDK', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'T', { env: { account: '123456789012', region: 'eu-central-1' } });
    const fns = Object.fromEntries(
      Object.entries(LOCAL_CLAIM_FUNCTION_ARNS).map(([k, arn]) => [k, lambda.Function.fromFunctionArn(stack, k, arn)]),
    ) as unknown as ClaimCaseFunctions;
    // Act
    new sfn.StateMachine(stack, 'ClaimCase', { stateMachineType: sfn.StateMachineType.STANDARD, definitionBody: sfn.DefinitionBody.fromChainable(buildClaimCaseFlow(stack, fns)) });
    const t = Template.fromStack(stack);
    // Assess
    const sm = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { StateMachineType: string; DefinitionString: unknown } };
    expect(sm.Properties.StateMachineType).toBe('STANDARD');
    expect(JSON.stringify(sm.Properties.DefinitionString)).toContain('lambda:invoke.waitForTaskToken');
  });
});
