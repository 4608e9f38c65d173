/** Lambda entry: the "findDebtors" task of the DunningRun state machine (thin adapter over run-steps). */
import type { Context } from 'aws-lambda';
import { logger, runtime } from './runtime.js';
import { runSteps } from './run-steps.js';

export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  logger.addContext(context);
  const { app } = runtime();
  const e = event as { runDate?: string; customerId?: string; executionName?: string };
  logger.appendKeys({ runDate: e.runDate, customerId: e.customerId, executionName: e.executionName });
  try {
    return await runSteps(app).findDebtors(event);
  } catch (err) {
    logger.error('findDebtors failed', { error: err as Error });
    throw err;
  } finally {
    logger.resetKeys();
  }
};
