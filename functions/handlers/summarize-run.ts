/** Lambda entry: the "summarizeRun" task of the DunningRun state machine. */
import { stepHandler } from './step-handler.js';

export const handler = stepHandler('summarizeRun');
