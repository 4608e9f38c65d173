/** One Lambda entry shape for the DunningRun tasks: correlation keys in every log line, then the step. */
import type { Context } from 'aws-lambda';
import { logger, runtime } from './runtime.js';
import { runSteps, type RunSteps } from './run-steps.js';

export function stepHandler(step: keyof RunSteps) {
  return async (event: unknown, context: Context): Promise<unknown> => {
    logger.addContext(context);
    const e = event as { runDate?: string; customerId?: string; executionName?: string };
    logger.appendKeys({ runDate: e.runDate, customerId: e.customerId, executionName: e.executionName });
    try {
      return await runSteps(runtime().app)[step](event);
    } catch (err) {
      logger.error(`${step} failed`, { error: err as Error });
      throw err;
    } finally {
      logger.resetKeys();
    }
  };
}
