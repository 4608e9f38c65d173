/**
 * The operator API as the web console uses it: a signed-in identity is the audited actor, its roles
 * decide what it may do (403 naming the roles, audited), and the console's reads (me, customer card,
 * customers, runs) answer from the table. Cognito JWT claims map to the same identity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorWorld, seed, type OperatorWorld } from './world.js';
import { identityFromJwtClaims, stepFunctionsExecutionUrl } from '../../../functions/operator/identity.js';
import { mayAct, permissionsOf } from '../../../functions/domain/roles.js';

const clerk = { by: 'Анна Петрова', roles: ['clerk'], subject: 'console-local:anna' };
const lawyer = { by: 'Лев Юрьев', roles: ['legal'], subject: 'console-local:lev' };

describe('operator API for the web console', () => {
  let w: OperatorWorld;
  beforeAll(async () => {
    // Prepare
    w = await operatorWorld();
    await seed(w);
  });

  it('a signed-in clerk pauses an invoice: the audit names the console user, not the header', async () => {
    // Act
    const r = await w.call('POST', '/operator/customers/C1/pauses', { invoiceId: 'I-2', until: '2026-12-01', reason: 'спор по количеству' }, { identity: clerk });
    // Assess
    expect(r.statusCode).toBe(201);
    expect(r.json.audit).toMatchObject({ by: 'Анна Петрова', principal: 'console-local:anna', action: 'pause' });
  });

  it('a lawyer may not pause: 403 naming the roles that may, and the refusal is in the audit', async () => {
    // Act
    const r = await w.call('POST', '/operator/customers/C1/pauses', { until: '2026-12-01', reason: 'x' }, { identity: lawyer });
    const audit = await w.call('GET', '/operator/customers/C1/audit');
    // Assess
    expect(r.statusCode).toBe(403);
    expect(r.json.error).toMatchObject({ code: 'FORBIDDEN', action: 'pause', roles: ['clerk', 'head_of_sales', 'admin'], requiredRoles: ['clerk', 'head_of_sales', 'admin'] });
    expect(audit.json.entries.some((e: { action: string; by: string }) => e.action === 'access.denied' && e.by === 'Лев Юрьев')).toBe(true);
  });

  it('credit control refuses with the same error: one 403 body, audited once', async () => {
    // Act
    const r = await w.call(
      'POST',
      '/operator/credit/customers/C1/overrides',
      { scope: 'customer', maxAmount: '1000.00', currency: 'RUB', hours: 24, reason: 'x' },
      { headers: { 'x-claimflow-operator': 'clerk-ivan', 'x-claimflow-role': 'clerk' } },
    );
    const audit = await w.call('GET', '/operator/customers/C1/audit');
    // Assess
    expect(r.statusCode).toBe(403);
    expect(r.json.error).toMatchObject({ code: 'FORBIDDEN', action: 'credit.override.grant', roles: ['head_of_sales'], requiredRoles: ['head_of_sales'] });
    expect(audit.json.entries.filter((e: { action: string; by: string }) => e.action === 'access.denied' && e.by === 'clerk-ivan')).toHaveLength(1);
  });

  it('a dry run is open to every role; starting a run is not', async () => {
    // Act
    const dry = await w.call('POST', '/operator/runs', { runDate: '2026-11-24', dryRun: true }, { identity: lawyer });
    const real = await w.call('POST', '/operator/runs', { runDate: '2026-11-24' }, { identity: lawyer });
    // Assess
    expect(dry.statusCode).toBe(200);
    expect(real.statusCode).toBe(403);
  });

  it('GET /me lists the roles and what they permit', async () => {
    // Act
    const r = await w.call('GET', '/operator/me', undefined, { identity: clerk });
    // Assess
    expect(r.json).toMatchObject({ by: 'Анна Петрова', roles: ['clerk'], signedIn: true, permissions: { pause: true, 'case.decide': false } });
  });

  it('the customer card has invoices with stage history, pauses, and the penalty to date with its periods', async () => {
    // Act
    const r = await w.call('GET', '/operator/customers/C1/card');
    // Assess
    expect(r.statusCode).toBe(200);
    expect(r.json.profile.legalName).toBe('ООО «Ромашка»');
    expect(r.json.invoices.map((i: { number: string }) => i.number).sort()).toEqual(['101', '102']);
    expect(r.json.pauses[0]).toMatchObject({ invoiceId: 'I-2', kind: 'dispute' });
    expect(r.json.penalty.parts[0].periods.length).toBeGreaterThan(0);
    expect(r.json.entries.length).toBe(3);
  });

  it('the customer list comes from the debtor index with names and receivables; an unknown card is 404', async () => {
    // Act
    const list = await w.call('GET', '/operator/customers');
    const one = await w.call('GET', '/operator/customers', undefined, { query: { q: 'C2' } });
    const missing = await w.call('GET', '/operator/customers/NOPE/card');
    // Assess
    expect(list.json.customers.map((c: { customerId: string }) => c.customerId).sort()).toEqual(['C1', 'C2']);
    expect(one.json.customers).toEqual([expect.objectContaining({ customerId: 'C2', legalName: 'ООО «Лютик»' })]);
    expect(missing.statusCode).toBe(404);
  });

  it('customer search runs in the database over every customer: name, tax id, any case, ё = е, paged without repeats', async () => {
    // Prepare: 130 customers beyond one page, 65 of them "Ёлка", none with an open invoice
    for (let i = 0; i < 130; i++) {
      await w.apply({
        type: 'customer.upsert',
        customerId: `S-${String(i).padStart(3, '0')}`,
        legalName: i % 2 ? `ООО «Ёлка ${i}»` : `АО Сосна ${i}`,
        taxId: `77${String(10_000_000 + i)}`,
        emails: [],
      });
    }
    // Act
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const r = await w.call('GET', '/operator/customers', undefined, { query: { q: 'елка', limit: '20', ...(token ? { pageToken: token } : {}) } });
      expect(r.statusCode).toBe(200);
      pages.push(r.json.customers.map((c: { customerId: string }) => c.customerId));
      token = r.json.nextToken;
    } while (token);
    const byInn = await w.call('GET', '/operator/customers', undefined, { query: { q: '7710000042' } });
    const upper = await w.call('GET', '/operator/customers', undefined, { query: { q: 'ЛЮТИК' } });
    const none = await w.call('GET', '/operator/customers', undefined, { query: { q: 'нет такого' } });
    const badToken = await w.call('GET', '/operator/customers', undefined, { query: { q: 'елка', pageToken: 'xyz' } });
    // Assess
    const found = pages.flat();
    expect(found.length).toBe(65);
    expect(new Set(found).size).toBe(65);
    expect(pages.length).toBe(4);
    expect(found.every((id) => Number(id.slice(2)) % 2 === 1)).toBe(true);
    expect(byInn.json.customers.map((c: { customerId: string }) => c.customerId)).toEqual(['S-042']);
    expect(upper.json.customers).toEqual([expect.objectContaining({ customerId: 'C2', legalName: 'ООО «Лютик»' })]);
    expect(none.json.customers).toEqual([]);
    expect(badToken.statusCode).toBe(400);
    expect(badToken.json.error.fields[0].field).toBe('pageToken');
  });

  it('the debtor list is in due-date order across the index shards, page after page', async () => {
    // Act
    const first = await w.call('GET', '/operator/customers', undefined, { query: { limit: '1' } });
    const second = await w.call('GET', '/operator/customers', undefined, { query: { limit: '1', pageToken: first.json.nextToken } });
    // Assess: C1's earliest open invoice is due 2026-11-14, C2's 2026-11-28
    expect(first.json.customers.map((c: { customerId: string }) => c.customerId)).toEqual(['C1']);
    expect(second.json.customers.map((c: { customerId: string }) => c.customerId)).toEqual(['C2']);
    expect(second.json.nextToken).toBeUndefined();
  });

  it('a run view is filtered and paged by the server: counts over the run, a stage, a customer name, pages', async () => {
    // Prepare: run 2026-12-01 with letters to C1 (reminder, warning) and C2 (reminder)
    const runDate = '2026-12-01';
    for (const [customerId, stage] of [
      ['C1', 'reminder'],
      ['C1', 'warning'],
      ['C2', 'reminder'],
    ] as const) {
      const rec = { runDate, customerId, stage, invoiceIds: [`${customerId}-x`], channels: ['email'], owner: 'test', invoiceSetHash: 'h' };
      await w.app.dunning.reserveLetter(rec as never, { status: 'sending' } as never);
      await w.app.dunning.markSent(rec as never, {} as never);
    }
    // Act
    const all = await w.call('GET', `/operator/runs/${runDate}/view`);
    const reminders = await w.call('GET', `/operator/runs/${runDate}/view`, undefined, { query: { stage: 'reminder' } });
    const byName = await w.call('GET', `/operator/runs/${runDate}/view`, undefined, { query: { q: 'ЛЮТИК' } });
    const page2 = await w.call('GET', `/operator/runs/${runDate}/view`, undefined, { query: { limit: '2', offset: '2' } });
    const bad = await w.call('GET', `/operator/runs/${runDate}/view`, undefined, { query: { stage: 'court' } });
    const none = await w.call('GET', '/operator/runs/2020-01-01/view');
    // Assess
    expect(all.statusCode).toBe(200);
    expect(all.json.counts).toEqual({ all: 3, byStage: { reminder: 2, warning: 1 }, sentByStage: { reminder: 2, warning: 1 }, ambiguous: 0 });
    expect(all.json.letters.map((l: { customerId: string; stage: string }) => `${l.customerId}/${l.stage}`)).toEqual(['C1/reminder', 'C1/warning', 'C2/reminder']);
    expect(all.json.letters[0]).toMatchObject({ customerName: 'ООО «Ромашка»', status: 'sent', channels: ['email'] });
    expect(reminders.json.matching).toBe(2);
    expect(reminders.json.letters.map((l: { stage: string }) => l.stage)).toEqual(['reminder', 'reminder']);
    expect(byName.json.letters.map((l: { customerId: string }) => l.customerId)).toEqual(['C2']);
    expect(page2.json).toMatchObject({ matching: 3, offset: 2, limit: 2 });
    expect(page2.json.letters.map((l: { customerId: string }) => l.customerId)).toEqual(['C2']);
    expect(bad.statusCode).toBe(400);
    expect(none.statusCode).toBe(404);
  });

  it('documents outside letters/ and cases/ are refused', async () => {
    // Act
    const r = await w.call('GET', '/operator/documents', undefined, { query: { key: '../etc/passwd' } });
    // Assess
    expect(r.statusCode).toBe(400);
    expect(r.json.error.fields[0].field).toBe('key');
  });

  it('Cognito claims: groups are roles (unknown groups ignored), e-mail is the name', () => {
    // Act
    const id = identityFromJwtClaims({ sub: 's-1', email: 'lev@firm.ru', 'cognito:groups': '[legal staff]' });
    // Assess
    expect(id).toEqual({ by: 'lev@firm.ru', roles: ['legal'], subject: 'cognito:s-1' });
    expect(identityFromJwtClaims({ email: 'x' })).toBeUndefined();
    expect(mayAct(['legal'], 'case.decide')).toBe(true);
    expect(permissionsOf(['finance'])['period.close']).toBe(true);
    expect(stepFunctionsExecutionUrl('arn:aws:states:eu-central-1:123456789012:stateMachine:claimflow-prod-dunning-run')('dunning-run-2026-11-24')).toBe(
      'https://eu-central-1.console.aws.amazon.com/states/home?region=eu-central-1#/v2/executions/details/arn%3Aaws%3Astates%3Aeu-central-1%3A123456789012%3Aexecution%3Aclaimflow-prod-dunning-run%3Adunning-run-2026-11-24',
    );
  });
});
