/**
 * The three state machine tasks as plain functions over composed deps, so the Lambda entries and the
 * local runner execute exactly the same code. Each parses its event with zod.
 */
import { z } from 'zod';
import { zDate } from '../domain/ledger/commands.js';
import type { Composed } from '../adapters/compose.js';
import { findDebtors } from '../app/find-debtors.js';
import { processCustomer } from '../app/process-customer.js';
import { addUpBatch, finishRun, recordCustomerFailure } from '../app/summarize-run.js';
import { tallyOf } from '../app/run-totals.js';
import { parseOrThrow } from '../domain/parse.js';

const zRequest = z.object({ dryRun: z.boolean().optional() }).passthrough().optional();

export const zFindDebtorsEvent = z.object({
  runDate: zDate,
  page: z.object({ nextToken: z.string().nullish() }).partial().optional(),
  pageSize: z.number().int().min(1).max(1000).default(500),
});
export const zProcessCustomerEvent = z.object({
  customerId: z.string().min(1),
  runDate: zDate,
  executionName: z.string().min(1),
  request: zRequest,
});
const zCustomerResult = z.object({ customerId: z.string(), status: z.enum(['processed', 'nothing-due', 'failed']) }).passthrough();
export const zSummarizeEvent = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('recordFailure'),
    runDate: zDate,
    executionName: z.string(),
    customerId: z.string().min(1),
    error: z.string().default('Error'),
    cause: z.unknown().optional(),
  }),
  z.object({ action: z.literal('addUp'), runDate: zDate, executionName: z.string(), totals: z.any(), batch: z.array(zCustomerResult) }),
  z.object({ action: z.literal('finish'), runDate: zDate, executionName: z.string(), totals: z.any(), request: zRequest }),
]);

const parse = <S extends z.ZodType>(schema: S, event: unknown): z.output<S> => parseOrThrow(schema, event, 'event');

/** Validates a step's event without any wiring (a bad event fails before the function reads anything). */
export function parseStepEvent(step: 'findDebtors' | 'processCustomer' | 'summarizeRun', event: unknown): void {
  parse(step === 'findDebtors' ? zFindDebtorsEvent : step === 'processCustomer' ? zProcessCustomerEvent : zSummarizeEvent, event);
}

export function runSteps(app: Composed) {
  return {
    findDebtors: async (event: unknown) => {
      const e = parse(zFindDebtorsEvent, event);
      return findDebtors({ reader: app.ledger, lookAheadDays: app.lookAheadDays }, { runDate: e.runDate, pageToken: e.page?.nextToken ?? null, pageSize: e.pageSize });
    },
    processCustomer: async (event: unknown) => {
      const e = parse(zProcessCustomerEvent, event);
      const r = await processCustomer(app.processDeps, { customerId: e.customerId, runDate: e.runDate, executionName: e.executionName, dryRun: e.request?.dryRun ?? false });
      // `tally` is what the Map item keeps (the state machine's "Keep the customer's tally").
      return { ...r, tally: tallyOf(r) };
    },
    summarizeRun: async (event: unknown) => {
      const e = parse(zSummarizeEvent, event);
      if (e.action === 'recordFailure') {
        const cause = typeof e.cause === 'string' ? e.cause : JSON.stringify(e.cause ?? '');
        return recordCustomerFailure(
          { runs: app.dunning },
          { runDate: e.runDate, executionName: e.executionName, customerId: e.customerId, error: e.error, cause: cause.slice(0, 4000) },
        );
      }
      if (e.action === 'addUp') return addUpBatch({ runs: app.dunning }, { runDate: e.runDate, executionName: e.executionName, totals: e.totals, batch: e.batch as never });
      return finishRun(app.finishDeps, { runDate: e.runDate, executionName: e.executionName, dryRun: e.request?.dryRun ?? false, totals: e.totals });
    },
  };
}
export type RunSteps = ReturnType<typeof runSteps>;
