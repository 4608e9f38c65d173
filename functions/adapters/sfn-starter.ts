/** RunStarter over Step Functions StartExecution (the client comes from functions/adapters/aws-clients.ts). */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { RunStarter } from '../ports/dunning.js';

export function createSfnStarter(stateMachineArn: string, sfn: SFNClient): RunStarter {
  return {
    async start(name, input) {
      try {
        const r = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        return { executionArn: r.executionArn! };
      } catch (err) {
        if (err instanceof ExecutionAlreadyExists || (err as { name?: string }).name === 'ExecutionAlreadyExists') return 'exists';
        throw err;
      }
    },
  };
}
