/** RunStarter over Step Functions StartExecution. The client is created once per module. */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RunStarter } from '../ports/dunning.js';
import { SDK_LOGGER } from './sdk-logger.js';

let client: SFNClient | undefined;
const sfnClient = () => (client ??= new SFNClient({ logger: SDK_LOGGER }));

export function createSfnStarter(stateMachineArn: string, sfn: SFNClient = sfnClient()): RunStarter {
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
