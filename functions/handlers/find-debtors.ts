/** Lambda entry: the "findDebtors" task of the DunningRun state machine. */
import { stepHandler } from './step-handler.js';

export const handler = stepHandler('findDebtors');
