/**
 * Use cases for the run's bookkeeping steps: add up each batch (recording failed customers) and finish
 * the run (run record, the print batch PDF, the digest email to the collections team).
 */
import type { CalendarDate } from '../domain/dates.js';
import type { CompanyRequisites, Letter } from '../letters/model.js';
import type { DocumentStore, Mailer } from '../ports/index.js';
import type { RunBookkeeping } from '../ports/dunning.js';
import type { BusinessMetrics } from '../ports/metrics.js';
import { addUp, emptyTotals, STAGES, type BatchItem, type RunTotals } from './run-totals.js';
import { letterDocumentKey } from './process-customer.js';

export async function addUpBatch(
  deps: { runs: RunBookkeeping },
  input: { runDate: CalendarDate; executionName: string; totals?: RunTotals; batch: BatchItem[] },
): Promise<RunTotals> {
  // Failures the Map item recorded itself (with the cause) are only counted here.
  for (const r of input.batch.filter((b) => b.status === 'failed' && !b.recorded)) {
    await deps.runs.recordFailure(input.runDate, r.customerId, r.error ?? 'Error', String(r.cause ?? ''), input.executionName);
  }
  return addUp(input.totals ?? emptyTotals(), input.batch);
}

/** A Map item that failed: the failure is recorded with its cause; the item carries only its name. */
export async function recordCustomerFailure(
  deps: { runs: RunBookkeeping },
  input: { runDate: CalendarDate; executionName: string; customerId: string; error: string; cause: string },
): Promise<BatchItem> {
  await deps.runs.recordFailure(input.runDate, input.customerId, input.error, input.cause, input.executionName);
  return { customerId: input.customerId, status: 'failed', error: input.error, recorded: true };
}

export interface RunSummary {
  runDate: CalendarDate;
  executionName: string;
  dryRun: boolean;
  customers: number;
  letters: RunTotals['letters'];
  failures: number;
  /** Letters of the run date that may have been sent and are not settled yet (the outbox records, not only this execution's). */
  ambiguous: number;
  /** Letters of the run date still `sending`: held by another run, or left by an interrupted one until its lease ends. */
  sending?: number;
  /** When the last of those leases ends: a run after that settles them (from the mail service's record). */
  sendingLeaseUntil?: string;
  skipped: number;
  amounts: RunTotals['amounts'];
  /** The print batch: its first (usually only) volume. */
  printBatch?: string;
  /** Every volume of the print batch, in order (a volume holds at most printVolumeLetters letters and their envelopes). */
  printVolumes?: string[];
  /** Policy name@version the run used (customers with overrides say theirs in their Map item output). */
  policy: string;
  /** Customers at litigation for the first time: no litigation letter to them before this run. */
  newlyAtLitigation: string[];
  /** Customers already at litigation before this run whose further invoices reached litigation in it. */
  moreInvoicesAtLitigation: string[];
  failedCustomers: string[];
}

export interface FinishDeps {
  runs: RunBookkeeping;
  documents: DocumentStore;
  mailer: Mailer;
  renderPrintBatch(letters: Letter[], company: CompanyRequisites, opts: { envelope: 'DL' | 'C5' }): Promise<Uint8Array>;
  company: CompanyRequisites;
  fromAddress: string;
  digestRecipients: string[];
  envelope: 'DL' | 'C5';
  /** Letters per print volume (default PRINT_VOLUME_LETTERS). */
  printVolumeLetters?: number;
  /** The policy the run used, e.g. "wholesale@1" (recorded on the run; later policy changes do not rewrite it). */
  policy: string;
  /** Letters sent per stage, ambiguous letters and failed customers of each finished run (absent: not counted). */
  metrics?: BusinessMetrics;
}

/**
 * A print volume holds at most this many letters (then their envelopes): a file a print shop and a
 * 3 GB Lambda handle comfortably (a 10,000-customer run prints about 7,600 letters: 16 volumes).
 */
export const PRINT_VOLUME_LETTERS = 500;

export const printVolumeKey = (runDate: string, volume: number, volumes: number) =>
  volumes === 1
    ? `letters/${runDate}/print-batch-${runDate}.pdf`
    : `letters/${runDate}/print-batch-${runDate}-vol${String(volume).padStart(2, '0')}-of-${String(volumes).padStart(2, '0')}.pdf`;

export async function finishRun(deps: FinishDeps, input: { runDate: CalendarDate; executionName: string; dryRun?: boolean; totals: RunTotals }): Promise<RunSummary> {
  const t = { ...emptyTotals(), ...input.totals };
  const printVolumes: string[] = [];
  const newlyAtLitigation: string[] = [];
  const moreInvoicesAtLitigation: string[] = [];
  const names: Record<string, string> = {};
  let unsettled: { ambiguous: number; sending: number; sendingLeaseUntil?: string } | undefined;
  if (!input.dryRun) {
    const all = await deps.runs.lettersOfRun(input.runDate);
    const sending = all.filter((l) => l.status === 'sending');
    const leaseEnd = sending
      .map((l) => l.leaseUntil)
      .sort()
      .at(-1);
    unsettled = { ambiguous: all.filter((l) => l.status === 'ambiguous').length, sending: sending.length, ...(leaseEnd ? { sendingLeaseUntil: leaseEnd } : {}) };
    const letters = all.filter((l) => l.status === 'sent');
    // "Newly" = no litigation letter to the customer on an earlier run (one GSI2 query per litigation letter).
    for (const l of letters.filter((x) => x.stage === 'litigation').sort((a, b) => (a.customerId < b.customerId ? -1 : 1))) {
      const before = (await deps.runs.lettersOfCustomer(l.customerId)).some((x) => x.stage === 'litigation' && x.status === 'sent' && x.runDate < input.runDate);
      (before ? moreInvoicesAtLitigation : newlyAtLitigation).push(l.customerId);
    }
    const named = [...newlyAtLitigation, ...moreInvoicesAtLitigation, ...(t.failedCustomers ?? [])];
    if (named.length) {
      for (const p of await deps.runs.profiles([...new Set(named)])) {
        if (typeof p.customerId === 'string' && typeof p.legalName === 'string') names[p.customerId] = p.legalName;
      }
    }
    const printed = letters.filter((l) => l.channels.includes('print')).sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    // Volumes are rendered one after another: only one volume's letters and pages are in memory.
    const per = Math.max(1, deps.printVolumeLetters ?? PRINT_VOLUME_LETTERS);
    const volumes = Math.ceil(printed.length / per);
    for (let v = 0; v < volumes; v++) {
      const models: Letter[] = [];
      for (const l of printed.slice(v * per, (v + 1) * per)) {
        const raw = await deps.documents.get(letterDocumentKey(l.runDate, l.customerId, l.stage, 'json'));
        if (raw) models.push(JSON.parse(Buffer.from(raw).toString('utf8')) as Letter);
      }
      if (!models.length) continue;
      const pdf = await deps.renderPrintBatch(models, deps.company, { envelope: deps.envelope });
      printVolumes.push((await deps.documents.put(printVolumeKey(input.runDate, v + 1, volumes), pdf, 'application/pdf')).uri);
    }
  }
  const printBatch = printVolumes[0];
  const summary: RunSummary = {
    runDate: input.runDate,
    executionName: input.executionName,
    dryRun: !!input.dryRun,
    customers: t.customers,
    letters: t.letters,
    failures: t.failures,
    ambiguous: unsettled ? Math.max(unsettled.ambiguous, t.ambiguous) : t.ambiguous,
    ...(unsettled ? { sending: unsettled.sending } : {}),
    ...(unsettled?.sendingLeaseUntil ? { sendingLeaseUntil: unsettled.sendingLeaseUntil } : {}),
    skipped: t.skipped,
    amounts: t.amounts,
    ...(printBatch ? { printBatch, printVolumes } : {}),
    policy: deps.policy,
    newlyAtLitigation,
    moreInvoicesAtLitigation,
    failedCustomers: t.failedCustomers ?? [],
  };
  if (!input.dryRun) {
    await deps.runs.putRun(input.runDate, { ...summary, finishedAt: new Date().toISOString() });
    countRun(deps.metrics, summary);
    if (deps.digestRecipients.length) {
      const d = digest(summary, names);
      await deps.mailer.send({
        from: deps.fromAddress,
        to: deps.digestRecipients,
        subject: d.subject,
        text: d.text,
        html: d.html,
        tags: { kind: 'digest', runDate: input.runDate },
      });
    }
  }
  return summary;
}

/** The run's figures operators alarm on (dry runs are not counted). */
function countRun(metrics: BusinessMetrics | undefined, s: RunSummary): void {
  if (!metrics) return;
  for (const [stage, n] of Object.entries(s.letters)) metrics.count('LettersSent', n, { stage });
  metrics.count('AmbiguousLetters', s.ambiguous);
  metrics.count('FailedCustomers', s.failures);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The digest email to the collections team; customers by name (and id) when `names` knows them. */
export function digest(s: RunSummary, names: Record<string, string> = {}): { subject: string; text: string; html: string } {
  const who = (ids: string[]) => ids.map((id) => (names[id] ? `${names[id]} (${id})` : id)).join(', ');
  const lines = [
    `Dunning run ${s.runDate} (${s.executionName})`,
    `Customers processed: ${s.customers} (policy ${s.policy})`,
    ...STAGES.map(
      (st) =>
        `${st}: ${s.letters[st]} letter(s)${
          s.amounts[st]
            ? ` — ${Object.entries(s.amounts[st]!)
                .map(([c, a]) => `${a} ${c}`)
                .join(', ')}`
            : ''
        }`,
    ),
    `Failures: ${s.failures}${s.failedCustomers.length ? ` (${who(s.failedCustomers)})` : ''}`,
    `Ambiguous sends (settled from SES's record by the next run; what remains: claimflow letters resolve): ${s.ambiguous}`,
    ...(s.sending
      ? [`Letters still sending (another or an interrupted run holds them until ${s.sendingLeaseUntil}): ${s.sending} — a run of ${s.runDate} after that settles them`]
      : []),
    `Customers newly at litigation: ${s.newlyAtLitigation.length ? who(s.newlyAtLitigation) : 'none'}`,
    ...((s.moreInvoicesAtLitigation ?? []).length ? [`Already at litigation, more invoices joined: ${who(s.moreInvoicesAtLitigation)}`] : []),
    ...(s.printVolumes && s.printVolumes.length > 1
      ? [`Print batch: ${s.printVolumes.length} volumes`, ...s.printVolumes.map((v, i) => `  volume ${i + 1}: ${v}`)]
      : s.printBatch
        ? [`Print batch: ${s.printBatch}`]
        : []),
  ];
  return {
    subject: `claimflow digest ${s.runDate}: ${STAGES.map((st) => `${s.letters[st]} ${st}`).join(', ')}; ${s.failures} failed`,
    text: lines.join('\n'),
    html: `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
  };
}
