/** Test fakes for the claim use cases: an in-memory case store, a ledger over commands, letters, documents. */
import type { ClaimCaseStore, CreateOutcome } from '../../../functions/ports/claims.js';
import { CaseVersionConflict } from '../../../functions/domain/claims/index.js';
import { ConflictError, NotFoundError } from '../../../functions/domain/errors.js';
import type { ClaimCase, ClaimStatus } from '../../../functions/domain/claims/index.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { reconcile } from '../../../functions/domain/ledger/reconcile.js';
import { zLedgerCommand, type LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import type { ClaimsDeps } from '../../../functions/app/claims.js';
import type { ApprovalSignal, ClaimsLedger, LetterLog } from '../../../functions/ports/claims.js';
import type { CustomerProfileView, DocumentStore } from '../../../functions/ports/index.js';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class MemoryClaims implements ClaimCaseStore {
  readonly cases = new Map<string, ClaimCase>();
  readonly open = new Map<string, string>();
  saves = 0;
  async get(caseId: string) {
    const c = this.cases.get(caseId);
    return c ? copy(c) : undefined;
  }
  async openCaseOf(customerId: string) {
    const id = this.open.get(customerId);
    return id ? this.get(id) : undefined;
  }
  async create(c: ClaimCase): Promise<CreateOutcome> {
    const existing = await this.openCaseOf(c.customerId);
    if (existing) return { created: false, existing };
    if (this.cases.has(c.caseId)) throw new ConflictError(`case ${c.caseId} exists`);
    const saved = { ...copy(c), version: 1 };
    this.cases.set(c.caseId, saved);
    this.open.set(c.customerId, c.caseId);
    return { created: true, case: copy(saved) };
  }
  async save(c: ClaimCase) {
    const cur = this.cases.get(c.caseId);
    if (!cur || cur.version !== c.version) throw new CaseVersionConflict(`case ${c.caseId} changed`);
    const next = { ...copy(c), version: c.version + 1 };
    this.cases.set(c.caseId, next);
    if (next.status === 'closed' && this.open.get(c.customerId) === c.caseId) this.open.delete(c.customerId);
    this.saves++;
    return copy(next);
  }
  async listByStatus(status: ClaimStatus) {
    return [...this.cases.values()].filter((c) => c.status === status).map(copy);
  }
  async listOfCustomer(customerId: string) {
    return [...this.cases.values()].filter((c) => c.customerId === customerId).map(copy);
  }
}

export class MemoryLedger implements ClaimsLedger {
  constructor(public commands: LedgerCommand[]) {}
  private of(customerId: string) {
    return this.commands.filter((c) => c.customerId === customerId);
  }
  async getProfile(customerId: string): Promise<CustomerProfileView | undefined> {
    const c = foldLedger(this.of(customerId)).customer;
    if (!c) return undefined;
    return { customerId, legalName: c.legalName, ...(c.taxId ? { taxId: c.taxId } : {}), emails: c.emails, locale: c.locale, segment: c.segment };
  }
  async ledgerState(customerId: string) {
    return foldLedger(this.of(customerId));
  }
  async reconciliation(customerId: string, from: CalendarDate, to: CalendarDate) {
    if (!this.of(customerId).length) throw new NotFoundError(`customer ${customerId} not found`);
    return reconcile(this.of(customerId), { customerId, from, to });
  }
}

export type FakeLetter = { runDate: string; stage: string; status: string; documentUri?: string; messageId?: string; customerId: string; invoiceIds?: string[] };
export class MemoryLetters implements LetterLog {
  constructor(public letters: FakeLetter[] = []) {}
  async lettersOfCustomer(customerId: string) {
    return this.letters.filter((l) => l.customerId === customerId);
  }
}

export class MemoryDocuments implements DocumentStore {
  readonly files = new Map<string, { body: Uint8Array; contentType: string }>();
  async put(key: string, body: Uint8Array | string, contentType: string) {
    this.files.set(key, { body: typeof body === 'string' ? new TextEncoder().encode(body) : body, contentType });
    return { uri: `mem://docs/${key}` };
  }
  async get(key: string) {
    return this.files.get(key)?.body;
  }
  text(key: string): string {
    const f = this.files.get(key);
    if (!f) throw new Error(`no document ${key}`);
    return new TextDecoder().decode(f.body);
  }
}

export class RecordingSignal implements ApprovalSignal {
  readonly calls: { kind: 'approve' | 'reject'; token: string; output: Record<string, unknown> }[] = [];
  async approve(token: string, output: Record<string, unknown>) {
    this.calls.push({ kind: 'approve', token, output });
    return 'sent' as const;
  }
  async reject(token: string, reason: string, output: Record<string, unknown> = {}) {
    this.calls.push({ kind: 'reject', token, output: { ...output, reason } });
    return 'sent' as const;
  }
}

export const cmd = (raw: Record<string, unknown>): LedgerCommand => zLedgerCommand.parse(raw);
const rub = (amount: string) => ({ amount, currency: 'RUB' });

/** The demo-like litigation customer: ИП (12-digit INN), contract 0.1 %/day capped at 10 %. */
export function smirnovLedger(opts: { dueDate?: string; amount?: string } = {}): LedgerCommand[] {
  return [
    cmd({ type: 'customer.upsert', customerId: 'smirnov', legalName: 'ИП Смирнов А. В.', taxId: '780100000512' }),
    cmd({
      type: 'contract.upsert',
      customerId: 'smirnov',
      contractId: 'c-smirnov',
      number: 'ДП-09/2023',
      date: '2023-05-01',
      currency: 'RUB',
      paymentTermsDays: 14,
      penalty: { rule: 'contractual', ratePctPerDay: '0.1', capPct: '10', clause: 'п. 6.2 договора' },
    }),
    cmd({
      type: 'invoice.issued',
      customerId: 'smirnov',
      contractId: 'c-smirnov',
      invoiceId: 'inv-501',
      number: 'СЧ-501',
      issueDate: '2025-07-30',
      dueDate: opts.dueDate ?? '2025-08-13',
      amount: rub(opts.amount ?? '86000.00'),
    }),
  ];
}

/** An individual (12-digit INN, no ИП) with a contract without penalty terms: ГК 395 interest, general court. */
export function ivanovLedger(): LedgerCommand[] {
  return [
    cmd({ type: 'customer.upsert', customerId: 'ivanov', legalName: 'Иванов Иван Иванович', taxId: '780100000999' }),
    cmd({ type: 'contract.upsert', customerId: 'ivanov', contractId: 'c-ivanov', number: 'Д-1', date: '2025-01-10', currency: 'RUB' }),
    cmd({
      type: 'invoice.issued',
      customerId: 'ivanov',
      contractId: 'c-ivanov',
      invoiceId: 'inv-i1',
      number: 'СЧ-1',
      issueDate: '2025-07-01',
      dueDate: '2025-07-31',
      amount: rub('200000.00'),
    }),
  ];
}

export function depsWith(
  ledger: MemoryLedger,
  extra: Partial<ClaimsDeps> & { letters?: MemoryLetters; clock?: { now: Date } } = {},
): ClaimsDeps & { cases: MemoryClaims; documents: MemoryDocuments; letters: MemoryLetters } {
  const clock = extra.clock ?? { now: new Date('2025-09-02T09:00:00Z') };
  return {
    cases: new MemoryClaims(),
    ledger,
    letters: extra.letters ?? new MemoryLetters(),
    documents: new MemoryDocuments(),
    company: { name: 'ООО «Пример Поставки»', taxId: '7701234567' },
    timeZone: 'Europe/Moscow',
    now: () => clock.now,
    ...extra,
  } as ClaimsDeps & { cases: MemoryClaims; documents: MemoryDocuments; letters: MemoryLetters };
}
