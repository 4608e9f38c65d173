/** Segment and customer overrides: individual terms change the decision and show as a deviation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { policyConfigFor } from '../../functions/adapters/compose.js';
import { processCustomer } from '../../functions/app/process-customer.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';

describe('policy overrides per customer', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // Prepare: key customer C-17 gets reminders from 10 days before due (individual terms).
    stack = await testStack({
      settings: { policyConfig: policyConfigFor('wholesale', { customers: { 'c-17': { stages: { reminder: { window: { from: -10, to: -3 } } } } } }) },
    });
    for (const id of ['c-17', 'c-18']) {
      await postBilling(stack, customerEvent(id));
      await postBilling(stack, invoiceEvent(id, `${id}-inv`, '2026-12-03', '900.00'));
    }
  });
  afterAll(async () => stack?.stop());

  it('dunns the customer with individual terms earlier and flags the deviation in plain words', async () => {
    // Act: the invoice is due in 9 days on 2026-11-24.
    const run = { runDate: '2026-11-24' as never, executionName: 'preview', dryRun: true };
    const keyCustomer = await processCustomer(stack.app.processDeps, { customerId: 'c-17', ...run });
    const regular = await processCustomer(stack.app.processDeps, { customerId: 'c-18', ...run });
    // Assess
    expect(keyCustomer.letters?.map((l) => [l.stage, l.outcome])).toEqual([['reminder', 'would-send']]);
    expect(keyCustomer.summary).toContain('Individual terms (deviation from policy): stages.reminder.window.from -10 instead of -7');
    expect(regular.letters).toEqual([]);
    expect(regular.deviations).toBeUndefined();
  });

  it('the run looks far enough ahead for the earliest individual window', () => {
    // Assess: the preset starts 7 days before due; C-17's terms start 10 days before.
    expect(stack.app.lookAheadDays).toBe(10);
  });
});
