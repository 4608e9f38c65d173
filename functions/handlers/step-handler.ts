/** One Lambda entry shape for the DunningRun tasks (and ses-feedback's store): config at cold start, correlation keys in every log line, then the step. */
import type { Context } from 'aws-lambda';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeRunLambda } from '../adapters/compose.js';
import { logger, metrics, once } from './runtime.js';
import { parseStepEvent, runSteps, type RunSteps } from './run-steps.js';

export function stepHandler(step: keyof RunSteps) {
  // Cold start: a missing or bad variable throws here, naming it.
  const config = loadFunctionConfig(step);
  const steps = once(async () => runSteps(await composeRunLambda(config, awsClients(), metrics)));
  return async (event: unknown, context: Context): Promise<unknown> => {
    logger.addContext(context);
    const e = event as { runDate?: string; customerId?: string; executionName?: string };
    logger.appendKeys({ runDate: e.runDate, customerId: e.customerId, executionName: e.executionName });
    try {
      parseStepEvent(step, event);
      return await (await steps())[step](event);
    } catch (err) {
      logger.error(`${step} failed`, { error: err as Error });
      throw err;
    } finally {
      logger.resetKeys();
    }
  };
}
