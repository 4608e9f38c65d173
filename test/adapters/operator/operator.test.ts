/**
 * The operator API core (handleOperator) over the real ledger/dunning/audit adapters on DynamoDB Local:
 * validation, audit (who, when, why), pauses and the dry run, promises and schedules, resume, period
 * close, reconciliation, ambiguous letters, runs, bank import, replay and the calculator.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { zLedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { errorBody } from '../../../functions/domain/errors.js';
import { OPERATOR_ROUTES } from '../../../functions/operator/router.js';
import { schemaErrors } from '../../support/schemas.js';
import { bankFile, NOW, operatorWorld, RUN_DATE, seed, type OperatorWorld } from './world.js';

let w: OperatorWorld;

async function dry() {
  const r = await w.call('POST', '/operator/runs', { runDate: RUN_DATE, dryRun: true });
  expect(r.statusCode).toBe(200);
  return r.json as {
    customers: {
      customerId: string;
      letters: { stage: string; invoices: string[]; total: { amount: string }[]; channels: string[] }[];
      skipped: { invoice: string; reason: string }[];
    }[];
    totals: { letters: Record<string, number> };
  };
}
const lettersOf = (d: Awaited<ReturnType<typeof dry>>, customerId: string) =>
  d.customers.find((c) => c.customerId === customerId)?.letters.map((l) => `${l.stage}:${l.invoices.join(',')}:${l.total.map((t) => t.amount).join(',')}`) ?? [];

describe('handleOperator', () => {
  beforeEach(async () => {
    w = await operatorWorld();
    await seed(w);
  });

  it('refuses bad bodies with 400 naming each field, unknown routes with 404, wrong methods with 405', async () => {
    // Prepare
    const noFields = { reason: '' };
    // Act
    const pause = await w.call('POST', '/operator/customers/C1/pauses', noFields);
    const schedule = await w.call('POST', '/operator/customers/C1/schedules', {
      installments: [
        { date: '2026-12-01', amount: '100.00' },
        { date: '2026-02-30', amount: '1e3' },
      ],
      currency: 'XXX',
      reason: 'agreed by phone',
    });
    const promise = await w.call('POST', '/operator/customers/C1/promises', { date: '2026-12-01', amount: { amount: '10.001', currency: 'RUB' }, reason: 'call' });
    const badJson = await w.call('POST', '/operator/period-close', '{"through":');
    const unknown = await w.call('GET', '/operator/nothing-here');
    const wrongMethod = await w.call('DELETE', '/operator/customers/C1/pauses');
    const fields = (r: { json: any }) => r.json.error.fields.map((f: { field: string }) => f.field).sort();
    // Assess
    expect(pause.statusCode).toBe(400);
    expect(fields(pause)).toEqual(['reason', 'until']);
    expect(pause.json.error.fields).toContainEqual({ field: 'until', message: 'required' });
    expect(schedule.statusCode).toBe(400);
    expect(fields(schedule)).toEqual(['currency', 'installments.1.amount', 'installments.1.date']);
    expect(promise.statusCode).toBe(400);
    expect(fields(promise)).toEqual(['amount.amount']);
    expect(badJson.statusCode).toBe(400);
    expect(fields(badJson)).toEqual(['(body)']);
    expect(unknown.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, POST');
  });

  it('refuses an action with no operator name and no principal (400 "by"), a past until-date, an unknown customer or invoice (404)', async () => {
    // Prepare
    const body = { until: '2026-12-01', reason: 'dispute about quality', invoiceId: 'I-2' };
    // Act
    const anonymous = await w.call('POST', '/operator/customers/C1/pauses', body, { headers: { 'x-claimflow-operator': '' } });
    const past = await w.call('POST', '/operator/customers/C1/pauses', { ...body, until: '2026-11-19' });
    const noCustomer = await w.call('POST', '/operator/customers/C9/pauses', body);
    const noInvoice = await w.call('POST', '/operator/customers/C1/pauses', { ...body, invoiceId: 'I-404' });
    // Assess
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json.error.fields).toEqual([{ field: 'by', message: 'required: who acts (CLI --by or $USER)' }]);
    expect(past.statusCode).toBe(400);
    expect(past.json.error.fields[0].field).toBe('until');
    expect(noCustomer.statusCode).toBe(404);
    expect(noInvoice.statusCode).toBe(404);
    expect((await w.app.dunning.pauses('C1')).length).toBe(0);
  });

  it('dry run lists letters per customer and stage and writes nothing; a disputed invoice then shows as paused', async () => {
    // Prepare
    const before = await dry();
    // Act
    const paused = await w.call('POST', '/operator/customers/C1/pauses', { invoiceId: 'I-2', until: '2026-12-01', reason: 'quality dispute, claim 17' });
    const after = await dry();
    // Assess
    expect(lettersOf(before, 'C1')).toEqual(['reminder:101:15000.00', 'warning:102:8000.50']);
    expect(lettersOf(before, 'C2')).toEqual(['reminder:201:2000.00']);
    expect(before.totals.letters).toEqual({ reminder: 2, warning: 1, claim: 0, litigation: 0 });
    expect(paused.statusCode).toBe(201);
    expect(paused.json.pause).toMatchObject({ customerId: 'C1', invoiceId: 'I-2', kind: 'dispute', until: '2026-12-01', by: 'anna' });
    expect(lettersOf(after, 'C1')).toEqual(['reminder:101:15000.00']);
    expect(after.customers.find((c) => c.customerId === 'C1')?.skipped).toEqual([{ invoice: '102', reason: 'disputed: no letters until 2026-12-01 inclusive' }]);
    expect(await w.app.dunning.lettersOfRun(RUN_DATE)).toEqual([]);
    expect(await w.app.dunning.stageHistory('C1')).toEqual([]);
    expect(w.sent).toEqual([]);
    expect(w.stored).toEqual([]);
  });

  it('audits every action with who, when, why and what; listed per customer and per day', async () => {
    // Prepare
    await w.call('POST', '/operator/customers/C1/pauses', { until: '2026-11-30', reason: 'director asked to wait' }, { principal: 'arn:aws:iam::123456789012:user/anna' });
    w.clock.now = new Date('2026-11-20T10:00:00.000Z');
    await w.call(
      'POST',
      '/operator/customers/C2/promises',
      { date: '2026-11-28', amount: { amount: '2000.00', currency: 'RUB' }, reason: 'promised by phone' },
      { headers: { 'x-claimflow-operator': 'boris' } },
    );
    // Act
    const c1 = await w.call('GET', '/operator/audit', undefined, { query: { customer: 'C1' } });
    const day = await w.call('GET', '/operator/audit', undefined, { query: { day: '2026-11-20' } });
    // Assess
    expect(c1.json.entries).toEqual([
      {
        id: 'id2',
        at: NOW.toISOString(),
        day: '2026-11-20',
        action: 'pause',
        by: 'anna',
        principal: 'arn:aws:iam::123456789012:user/anna',
        reason: 'director asked to wait',
        customerId: 'C1',
        details: { pauseId: 'manual-20261120090000-id1', kind: 'manual', until: '2026-11-30' },
      },
    ]);
    expect(day.json.entries.map((e: any) => [e.action, e.by, e.customerId, e.at])).toEqual([
      ['promise', 'boris', 'C2', '2026-11-20T10:00:00.000Z'],
      ['pause', 'anna', 'C1', '2026-11-20T09:00:00.000Z'],
    ]);
  });

  it('a promise pauses until the promised date; a schedule until its last installment; both are listed', async () => {
    // Prepare
    const promise = { date: '2026-11-30', amount: { amount: '8000.50', currency: 'RUB' }, invoiceIds: ['I-2'], reason: 'will pay after their customer pays' };
    const schedule = {
      installments: [
        { date: '2026-12-15', amount: '1000' },
        { date: '2026-11-30', amount: '1000.00' },
      ],
      invoiceIds: ['I-3'],
      reason: 'two installments agreed',
    };
    // Act
    const p = await w.call('POST', '/operator/customers/C1/promises', promise);
    const s = await w.call('POST', '/operator/customers/C2/schedules', schedule);
    const list = await w.call('GET', '/operator/customers/C2/pauses');
    const d = await dry();
    // Assess
    expect(p.statusCode).toBe(201);
    expect(p.json.pauses).toMatchObject([{ kind: 'promise', invoiceId: 'I-2', until: '2026-11-30', amount: { amount: '8000.50', currency: 'RUB' } }]);
    expect(s.statusCode).toBe(201);
    expect(s.json.until).toBe('2026-12-15');
    expect(s.json.total).toEqual({ amount: '2000.00', currency: 'RUB' });
    expect(list.json.pauses).toMatchObject([
      {
        kind: 'schedule',
        until: '2026-12-15',
        installments: [
          { date: '2026-11-30', amount: '1000.00' },
          { date: '2026-12-15', amount: '1000.00' },
        ],
      },
    ]);
    expect(lettersOf(d, 'C1')).toEqual(['reminder:101:15000.00']);
    expect(lettersOf(d, 'C2')).toEqual([]);
    expect(d.customers.find((c) => c.customerId === 'C2')?.skipped[0]?.reason).toBe('payment schedule: no letters until 2026-12-15 inclusive');
  });

  it('resume ends a pause (the letter is due again) and a second resume is a 409', async () => {
    // Prepare
    const created = await w.call('POST', '/operator/customers/C1/pauses', { invoiceId: 'I-2', until: '2026-12-01', reason: 'dispute' });
    const id = created.json.pause.pauseId as string;
    // Act
    const resumed = await w.call('POST', `/operator/customers/C1/pauses/${encodeURIComponent(id)}/resume`, { reason: 'dispute settled: goods accepted' });
    const again = await w.call('POST', `/operator/customers/C1/pauses/${encodeURIComponent(id)}/resume`, { reason: 'again' });
    const missing = await w.call('POST', '/operator/customers/C1/pauses/nope/resume', { reason: 'x' });
    const d = await dry();
    // Assess
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json.resumed).toEqual([id]);
    expect((await w.app.dunning.pauses('C1'))[0]?.resolved).toEqual({ by: 'anna', at: NOW.toISOString(), reason: 'dispute settled: goods accepted' });
    expect(again.statusCode).toBe(409);
    expect(missing.statusCode).toBe(404);
    expect(lettersOf(d, 'C1')).toEqual(['reminder:101:15000.00', 'warning:102:8000.50']);
  });

  it('reconciliation statement as JSON (closing = open invoices − unapplied credit) and as PDF', async () => {
    // Prepare
    await w.apply({ type: 'payment.received', customerId: 'C1', paymentId: 'P-1', date: '2026-11-18', amount: { amount: '3000.00', currency: 'RUB' }, invoiceIds: ['I-2'] });
    // Act
    const json = await w.call('GET', '/operator/customers/C1/reconciliation', undefined, { query: { from: '2026-11-01', to: '2026-11-20' } });
    const pdf = await w.call('GET', '/operator/customers/C1/reconciliation', undefined, { query: { from: '2026-11-01', to: '2026-11-20', format: 'pdf' } });
    const bad = await w.call('GET', '/operator/customers/C1/reconciliation', undefined, { query: { from: '2026-11-21', to: '2026-11-20' } });
    const unknown = await w.call('GET', '/operator/customers/C9/reconciliation', undefined, { query: { from: '2026-11-01', to: '2026-11-20' } });
    // Assess
    expect(json.statusCode).toBe(200);
    expect(json.json.opening.balance).toBe('8000.50');
    expect(json.json.rows.map((r: any) => [r.date, r.debit, r.credit, r.balance])).toEqual([
      ['2026-11-02', '15000.00', '0.00', '23000.50'],
      ['2026-11-18', '0.00', '3000.00', '20000.50'],
    ]);
    expect(json.json.closing.balance).toBe('20000.50');
    expect(json.json.atClose.openInvoices.map((i: any) => i.outstanding)).toEqual(['5000.50', '15000.00']);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.isBase64Encoded).toBe(true);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(pdf.body, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bad.statusCode).toBe(400);
    expect(bad.json.error.fields).toEqual([{ field: 'to', message: 'must not be before from' }]);
    expect(unknown.statusCode).toBe(404);
  });

  it('closing a period is audited; a back-dated entry is then refused by the ledger with 409 and shows in the customer audit', async () => {
    // Prepare
    const closed = await w.call('POST', '/operator/period-close', { through: '2026-11-15', reason: 'October and half of November reported' });
    const late = zLedgerCommand.parse({ type: 'payment.received', customerId: 'C1', paymentId: 'P-old', date: '2026-11-10', amount: { amount: '100.00', currency: 'RUB' } });
    // Act
    const err = await w.app.ledger.apply(late, { source: 'billing', eventId: 'evt-old', receivedAt: NOW.toISOString() }).catch((e: unknown) => e);
    const current = await w.call('GET', '/operator/period-close');
    const backwards = await w.call('POST', '/operator/period-close', { through: '2026-11-01', reason: 'oops' });
    const audit = await w.call('GET', '/operator/customers/C1/audit');
    const day = await w.call('GET', '/operator/audit', undefined, { query: { day: '2026-11-20' } });
    // Assess
    expect(closed.statusCode).toBe(200);
    expect(closed.json.period).toMatchObject({ closedThrough: '2026-11-15', by: 'anna', reason: 'October and half of November reported' });
    expect(errorBody(err)).toEqual({ status: 409, body: { error: { code: 'PERIOD_CLOSED', message: expect.stringContaining('2026-11-15'), closedThrough: '2026-11-15' } } });
    expect(current.json.period.closedThrough).toBe('2026-11-15');
    expect(backwards.statusCode).toBe(409);
    expect(audit.json.entries).toMatchObject([
      { action: 'ledger-refusal', by: 'billing', details: { code: 'PERIOD_CLOSED', entryDate: '2026-11-10', closedThrough: '2026-11-15' } },
    ]);
    expect(day.json.entries).toMatchObject([{ action: 'period.close', by: 'anna', reason: 'October and half of November reported', details: { closedThrough: '2026-11-15' } }]);
  });

  it('an ambiguous letter resolved as sent records its stage (never sent again); not-sent frees it for a re-run', async () => {
    // Prepare
    const key = { runDate: RUN_DATE, customerId: 'C1', stage: 'warning', owner: 'dunning-run-2026-11-24' };
    await w.app.dunning.reserveLetter(
      { ...key, invoiceIds: ['I-2'], invoiceSetHash: 'I-2', channels: ['print', 'email'], total: [{ amount: '8000.50', currency: 'RUB' }] },
      { status: 'sending' },
    );
    await w.app.dunning.markAmbiguous(key, 'crashed after the send call');
    await w.app.dunning.reserveLetter({ ...key, customerId: 'C2', stage: 'reminder', invoiceIds: ['I-3'], invoiceSetHash: 'I-3', channels: ['email'] }, { status: 'sending' });
    await w.app.dunning.markAmbiguous({ ...key, customerId: 'C2', stage: 'reminder' }, 'no answer from SES');
    // Act
    const sent = await w.call('POST', `/operator/letters/${RUN_DATE}/C1/warning/resolve`, { outcome: 'sent', reason: 'found in the SES log: delivered' });
    const notSent = await w.call('POST', `/operator/letters/${RUN_DATE}/C2/reminder/resolve`, { outcome: 'not-sent', reason: 'not in the SES log' });
    const again = await w.call('POST', `/operator/letters/${RUN_DATE}/C1/warning/resolve`, { outcome: 'sent', reason: 'twice' });
    const badStage = await w.call('POST', `/operator/letters/${RUN_DATE}/C1/shout/resolve`, { outcome: 'sent', reason: 'x' });
    const run = await w.call('GET', `/operator/runs/${RUN_DATE}`);
    const d = await dry();
    // Assess
    expect(sent.statusCode).toBe(200);
    expect(notSent.json.letter.status).toBe('failed');
    expect(again.statusCode).toBe(409);
    expect(badStage.json.error.fields[0].field).toBe('stage');
    expect(await w.app.dunning.stageHistory('C1')).toEqual([{ invoiceId: 'I-2', stages: [{ stage: 'warning', runDate: RUN_DATE }] }]);
    expect(run.json.letters.map((l: any) => [l.customerId, l.stage, l.status, l.resolution?.by])).toEqual([
      ['C1', 'warning', 'sent', 'anna'],
      ['C2', 'reminder', 'failed', 'anna'],
    ]);
    expect(lettersOf(d, 'C1')).toEqual(['reminder:101:15000.00']);
  });

  it('runs show: letter records in every state, as the DynamoDB outbox stores them, match docs/schemas/run-letters.json', async () => {
    // Prepare: on 2026-11-27 a letter sent (C1), one settled from SES's send event (C2), one resolved by an
    // operator, one failed, one cancelled and one still sending (sent letters need a known customer's profile).
    const day = '2026-11-27';
    const owner = `dunning-run-${day}`;
    const letter = (customerId: string, stage: string) => ({
      runDate: day,
      customerId,
      stage,
      owner,
      invoiceIds: [`${customerId}-I`],
      invoiceSetHash: `${customerId}-I`,
      channels: ['email'],
      total: [{ amount: '10.00', currency: 'RUB' }],
    });
    const d = w.app.dunning;
    await d.reserveLetter(letter('C1', 'reminder'), { status: 'sending' });
    await d.markSent({ ...letter('C1', 'reminder') }, { messageId: 'ses-1', documentUri: 'file:///out/letters/S1.pdf' });
    await d.reserveLetter(letter('C2', 'warning'), { status: 'sending' });
    await d.recordSendEvent(letter('C2', 'warning'), { messageId: 'ses-2', at: '2026-11-27T09:00:05.000Z' });
    await d.settleSent(letter('C2', 'warning'), { messageId: 'ses-2', note: 'SES accepted it (send event)' });
    await d.reserveLetter(letter('S3', 'claim'), { status: 'sending' });
    await d.markAmbiguous(letter('S3', 'claim'), 'crashed after the send call');
    await w.call('POST', `/operator/letters/${day}/S3/claim/resolve`, { outcome: 'not-sent', reason: 'not in the SES log' });
    await d.reserveLetter(letter('S4', 'reminder'), { status: 'sending' });
    await d.markFailed(letter('S4', 'reminder'), 'MessageRejected');
    await d.reserveLetter(letter('S5', 'reminder'), { status: 'cancelled', error: 'paid or voided before sending' });
    await d.reserveLetter(letter('S6', 'litigation'), { status: 'sending' });
    // Act
    const run = await w.call('GET', `/operator/runs/${day}`);
    // Assess
    expect(run.statusCode).toBe(200);
    expect(run.json.letters.map((l: { status: string }) => l.status)).toEqual(['sent', 'sent', 'failed', 'failed', 'cancelled', 'sending']);
    expect(run.json.letters[1]).toMatchObject({ settled: 'SES accepted it (send event)', sesAccepted: { messageId: 'ses-2' } });
    expect(run.json.letters[2].resolution).toMatchObject({ outcome: 'not-sent', by: 'anna' });
    expect(schemaErrors('run-letters.json', run.json)).toEqual([]);
  });

  it('starts a real run through the launcher (audited); without a launcher it is 404; an unknown run date is 404', async () => {
    // Prepare
    const launched: unknown[] = [];
    const withRuns = await operatorWorld({
      runs: {
        launch: async (req) => {
          launched.push(req);
          return { executionName: `dunning-run-${req.runDate}`, status: 'SUCCEEDED' };
        },
      },
    });
    // Act
    const started = await withRuns.call('POST', '/operator/runs', { runDate: RUN_DATE });
    const rerunNoReason = await withRuns.call('POST', '/operator/runs', { runDate: RUN_DATE, rerun: 'after-resolve' });
    const noLauncher = await w.call('POST', '/operator/runs', { runDate: RUN_DATE });
    const noRun = await w.call('GET', '/operator/runs/2026-11-27');
    const audit = await withRuns.call('GET', '/operator/audit', undefined, { query: { day: '2026-11-20' } });
    // Assess
    expect(started.json).toEqual({ executionName: 'dunning-run-2026-11-24', status: 'SUCCEEDED' });
    expect(launched).toEqual([{ runDate: RUN_DATE }]);
    expect(rerunNoReason.json.error.fields).toEqual([{ field: 'reason', message: 'required' }]);
    expect(noLauncher.statusCode).toBe(404);
    expect(noRun.statusCode).toBe(404);
    expect(audit.json.entries).toMatchObject([{ action: 'run.start', by: 'anna', details: { runDate: RUN_DATE, executionName: 'dunning-run-2026-11-24' } }]);
  });

  it('imports a 1C bank file (payment booked, unknown payer to review, reimport books nothing twice)', async () => {
    // Prepare
    const body = { fileName: 'statement.txt', contentBase64: Buffer.from(bankFile()).toString('base64') };
    // Act
    const first = await w.call('POST', '/operator/bank-imports', body);
    const second = await w.call('POST', '/operator/bank-imports', body);
    const review = await w.call('GET', '/operator/review');
    const open = await w.app.ledger.openInvoices('C1');
    // Assess
    expect(first.statusCode).toBe(200);
    expect([first.json.documents, first.json.imported, first.json.duplicates, first.json.review.length]).toEqual([2, 1, 0, 1]);
    expect([second.json.imported, second.json.duplicates]).toEqual([0, 1]);
    expect(open.find((i) => i.invoiceId === 'I-1')?.outstanding.amount).toBe('10000.00');
    expect(review.json.items).toHaveLength(1);
    expect(review.json.items[0]).toMatchObject({ line: expect.any(Number), document: { payerInn: '5009999999', amount: '999.00' } });
  });

  it('replays an archived webhook payload (applied, then a no-op duplicate); an unknown reference in the archive is 404, one outside it 400', async () => {
    // Prepare
    const raw = JSON.stringify({
      eventId: 'evt-inv-I-9',
      type: 'invoice.issued',
      data: { customerId: 'C1', invoiceId: 'I-9', number: '109', issueDate: '2026-11-19', dueDate: '2026-12-19', amount: { amount: '700.00', currency: 'RUB' } },
    });
    const { ref } = await w.archive.archive('billing', 'evt-inv-I-9', raw, { 'content-type': 'application/json', 'x-claimflow-route': '/webhooks/billing' });
    // Act
    const first = await w.call('POST', '/operator/replay', { archiveRef: ref });
    const second = await w.call('POST', '/operator/replay', { archiveRef: ref });
    const missing = await w.call('POST', '/operator/replay', { archiveRef: ref.replace(/-[0-9a-f]{12}\.json$/, '-000000000000.json') });
    const outside = await w.call('POST', '/operator/replay', { archiveRef: 'file:///nowhere.json' });
    const day = await w.call('GET', '/operator/audit', undefined, { query: { day: '2026-11-20' } });
    // Assess
    expect([first.statusCode, first.json.status, first.json.eventId]).toEqual([200, 'applied', 'evt-inv-I-9']);
    expect(second.json.status).toBe('duplicate');
    expect((await w.app.ledger.openInvoices('C1')).map((i) => i.invoiceId)).toContain('I-9');
    expect(missing.statusCode).toBe(404);
    expect(outside.statusCode).toBe(400);
    expect(day.json.entries.map((e: any) => [e.action, e.details.status])).toEqual([
      ['replay', 'duplicate'],
      ['replay', 'applied'],
    ]);
  });

  it('the calculator answers the JSON of issue 5 through the API', async () => {
    // Prepare
    const duty = { court: 'general', price: '250000.00', filedOn: '2025-03-01' };
    // Act
    const calc = await w.call('POST', '/operator/calc/duty', duty);
    const badCalc = await w.call('POST', '/operator/calc/penalty', { rule: 'nope' });
    // Assess
    expect(calc.json.duty).toBe('8500');
    expect(badCalc.statusCode).toBe(400);
    expect(badCalc.json.error.fields[0].field).toBe('rule');
  });

  it('exposes its route table', () => {
    // Prepare
    const routes = OPERATOR_ROUTES.map(([m, p]) => `${m} ${p}`);
    // Act
    const mutating = routes.filter((r) => r.startsWith('POST'));
    // Assess
    expect(routes).toContain('POST /operator/customers/:customerId/pauses');
    expect(routes).toContain('POST /operator/cases/:caseId/approve');
    expect(routes).toContain('POST /operator/review/:importId/:line/resolve');
    expect(mutating.filter((r) => !r.includes(' /operator/credit/'))).toHaveLength(17);
    // Credit control: check, reserve, terms, grant, revoke, sweep, replay.
    expect(mutating.filter((r) => r.includes(' /operator/credit/'))).toHaveLength(7);
  });
});
