/** Lambda entry: the "processCustomer" task of the DunningRun state machine. */
import { stepHandler } from './step-handler.js';

export const handler = stepHandler('processCustomer');
