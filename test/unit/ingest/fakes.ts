/** In-memory fakes of the ingestion ports. */
import { entryKey, type LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import type { ApplyResult, CommandOrigin, DeadLetters, LedgerService, PayloadArchive } from '../../../functions/ports/index.js';
import type { ArchivedPayload, ArchiveReader, CustomerDirectory, IngestLogger, ReviewItem, ReviewList } from '../../../functions/ports/ingest.js';
import { defaultWebhookConfig, type WebhookConfig } from '../../../functions/ingest/config.js';
import type { WebhookDeps } from '../../../functions/ingest/http.js';

/** Dedupes by (source, eventId) and by entry key, like the real ledger. */
export class FakeLedger implements LedgerService {
  readonly calls: { command: LedgerCommand; origin: CommandOrigin }[] = [];
  readonly stored = new Map<string, { command: LedgerCommand; origin: CommandOrigin }>();
  private readonly seen = new Set<string>();
  failWith?: unknown;
  async apply(command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> {
    this.calls.push({ command, origin });
    if (this.failWith) throw this.failWith;
    const key = entryKey(command);
    const dedupe = `${origin.source}#${origin.eventId}`;
    if (this.seen.has(dedupe) || this.stored.has(key)) return { status: 'duplicate', entryKey: key };
    this.seen.add(dedupe);
    this.stored.set(key, { command, origin });
    return { status: 'applied', entryKey: key };
  }
}

export class MemoryArchive implements PayloadArchive, ArchiveReader {
  readonly items = new Map<string, ArchivedPayload>();
  async archive(source: string, id: string, raw: string, headers: Record<string, string>) {
    const ref = `mem://${source}/${id}/${this.items.size + 1}`;
    this.items.set(ref, { source, id, raw, headers, archivedAt: '2026-11-20T09:00:00.000Z' });
    return { ref };
  }
  async read(ref: string): Promise<ArchivedPayload> {
    const item = this.items.get(ref);
    if (!item) throw new Error(`no ${ref}`);
    return item;
  }
}

export class MemoryDeadLetters implements DeadLetters {
  readonly sent: { kind: string; reason: string; context: Record<string, unknown> }[] = [];
  async send(failure: { kind: string; reason: string; context: Record<string, unknown> }) {
    this.sent.push(failure);
  }
}

export class MemoryLogger implements IngestLogger {
  readonly lines: { level: string; message: string; attributes?: Record<string, unknown> }[] = [];
  correlationId?: unknown;
  debug(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'debug', message, attributes });
  }
  info(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, attributes });
  }
  setCorrelationId(value: unknown) {
    this.correlationId = value;
  }
}

export const NOW = new Date('2026-11-20T09:00:00.000Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const BILLING_SECRET = 'billing-secret-0123456789abcdef';
export const STRIPE_SECRET = 'whsec_test_0123456789abcdef';
export const CP_SECRET = 'cp-api-secret-0123456789';

export function makeDeps(over: Partial<WebhookConfig> = {}) {
  const ledger = new FakeLedger();
  const archive = new MemoryArchive();
  const deadLetters = new MemoryDeadLetters();
  const logger = new MemoryLogger();
  const config = defaultWebhookConfig({
    billingSecrets: [BILLING_SECRET],
    stripeSecrets: [STRIPE_SECRET],
    cloudpaymentsSecrets: [CP_SECRET],
    ...over,
  });
  const deps: WebhookDeps = { ledger, archive, deadLetters, config, now: () => NOW, logger };
  return { deps, ledger, archive, deadLetters, logger };
}

export class FakeDirectory implements CustomerDirectory {
  constructor(
    readonly customers: { customerId: string; inn: string; kpp?: string }[],
    readonly invoices: { customerId: string; invoiceId: string; number: string }[],
  ) {}
  readonly invoiceQueries: { customerId: string; numbers: string[] }[] = [];
  async findCustomerByTaxId(inn: string, kpp?: string) {
    const matches = this.customers.filter((c) => c.inn === inn && (!kpp || !c.kpp || c.kpp === kpp));
    return matches.length === 1 ? { customerId: matches[0]!.customerId } : undefined;
  }
  async findInvoicesByNumber(customerId: string, numbers: string[]) {
    this.invoiceQueries.push({ customerId, numbers });
    const norm = (s: string) => s.replace(/^0+(?=\d)/, '').toLowerCase();
    const wanted = new Set(numbers.map(norm));
    return this.invoices.filter((i) => i.customerId === customerId && wanted.has(norm(i.number))).map(({ invoiceId, number }) => ({ invoiceId, number }));
  }
}

export class MemoryReviewList implements ReviewList {
  readonly items = new Map<string, ReviewItem>();
  async add(item: ReviewItem) {
    this.items.set(`${item.importId}#${item.line}`, item);
  }
}
