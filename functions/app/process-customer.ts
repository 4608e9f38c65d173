/**
 * Use case: one customer of a dunning run (one Map item). Decides what is due by the policy, checks
 * again against the ledger right before each send, and delivers each letter exactly once through the
 * outbox: reserve → (recheck) → sending → send → sent | failed | ambiguous.
 *
 * - A retried state, a re-run of the same date or a concurrent run never sends twice: the outbox
 *   record for (run date, customer, stage) is written with a condition.
 * - A crash after `sending` was recorded leaves the letter `sending`; the next attempt does not send
 *   blindly but marks it `ambiguous` for operators.
 * - Throttling (TransientError) puts the letter back to `reserved` and rethrows, so the state's Retry
 *   sends it later.
 */
import { TransientError } from '../domain/errors.js';
import type { CalendarDate } from '../domain/dates.js';

import {
  decideCustomer,
  recheckBeforeSend,
  resolvePolicy,
  usableContact,
  type CustomerDecision,
  type Pause,
  type PolicyConfig,
  type SentStage,
  type StagePlan,
} from '../domain/policy/index.js';
import type { ShipmentNotice } from '../domain/credit/holds.js';
import { letterFromPlan, referencePrefixFor, type CompanyRequisites, type LetterCustomer, type PenaltyParagraph } from '../letters/model.js';
import type { DocumentStore, LedgerReader, Mailer, OpenInvoiceView } from '../ports/index.js';
import type { CustomerSnapshot, DunningStore, Faults, LetterKey, LetterRenderer, PauseRecord, ReserveOutcome, SendEvidence } from '../ports/dunning.js';
import { LETTER_ID_HEADER, LETTER_ID_TAG, letterIdOf } from './letter-id.js';
import type { CustomerResult, LetterResult, Stage } from './run-totals.js';

/** The snapshot from the separate reads (used when no `snapshot` port is given, e.g. in unit tests). */
export async function snapshotFromReads(reader: LedgerReader, dunning: DunningStore, customerId: string): Promise<CustomerSnapshot> {
  const [profile, openInvoices, stageHistory, pauses, lastLetterDate] = await Promise.all([
    reader.getProfile(customerId),
    reader.openInvoices(customerId),
    dunning.stageHistory(customerId),
    dunning.pauses(customerId),
    dunning.lastLetterDate(customerId),
  ]);
  return { ...(profile ? { profile } : {}), openInvoices, stageHistory, pauses, ...(lastLetterDate ? { lastLetterDate } : {}) };
}

export interface ProcessCustomerDeps {
  reader: LedgerReader;
  dunning: DunningStore;
  mailer: Mailer;
  documents: DocumentStore;
  renderer: LetterRenderer;
  policies: PolicyConfig;
  company: CompanyRequisites;
  fromAddress: string;
  legalTeam: string[];
  /** One read of everything about a customer (default: snapshotFromReads). */
  snapshot?(customerId: string): Promise<CustomerSnapshot>;
  /** The customer's current ledger version (with snapshot.version: a cheap recheck before each send). */
  ledgerVersion?(customerId: string): Promise<number>;
  /** Penalty accrued to the run date for warning/claim letters (issue: penalties). */
  penaltyFor?(customerId: string, invoices: OpenInvoiceView[], runDate: CalendarDate, context?: unknown): Promise<PenaltyParagraph | undefined>;
  faults?: Faults;
  /** What the letter says about shipments (credit control: the same hold dates the credit check uses). */
  shipmentNoticeFor?(customerId: string, stage: string, invoiceIds: string[], runDate: CalendarDate, context?: unknown): Promise<ShipmentNotice | undefined>;
  /** Settles letters left `sending`/`ambiguous` by an interrupted attempt (absent: they wait for an operator). */
  sendEvidence?: SendEvidence;
  /** Clock for the evidence's grace period (default: the machine clock). */
  now?: () => Date;
  /** Claim cases: told when a customer's claim or litigation letter went out (or was already out). */
  onStageReached?(input: {
    customerId: string;
    runDate: CalendarDate;
    stage: string;
    invoices: { invoiceId: string }[];
    context?: unknown;
  }): Promise<{ action: string; caseId?: string; status?: string }>;
}

export interface ProcessCustomerInput {
  customerId: string;
  runDate: CalendarDate;
  executionName: string;
  dryRun?: boolean;
}

const pauseOf = (p: PauseRecord): Pause => ({
  scope: p.invoiceId ? 'invoice' : 'customer',
  ...(p.invoiceId ? { invoiceId: p.invoiceId } : {}),
  kind: p.kind,
  until: p.until as CalendarDate,
  reason: p.reason,
});

export const letterDocumentKey = (runDate: string, customerId: string, stage: string, ext: 'pdf' | 'json') => `letters/${runDate}/${stage}/${customerId}.${ext}`;

export async function processCustomer(deps: ProcessCustomerDeps, input: ProcessCustomerInput): Promise<CustomerResult> {
  const { customerId, runDate } = input;
  const snap = deps.snapshot ? await deps.snapshot(customerId) : await snapshotFromReads(deps.reader, deps.dunning, customerId);
  const { profile, openInvoices: invoices, stageHistory: history, pauses: pauseRecords, lastLetterDate } = snap;
  if (!profile) return { customerId, status: 'failed', error: 'NotFound', cause: `customer ${customerId} has no profile` };
  const effective = resolvePolicy(deps.policies, { customerId, segment: profile.segment });
  const contact = usableContact(profile);
  const sent: SentStage[] = history.flatMap((h) => h.stages.map((s) => ({ invoiceId: h.invoiceId, stage: s.stage as Stage, sentOn: s.runDate as CalendarDate })));
  const decision = decideCustomer({
    policy: effective.policy,
    policyRef: effective.ref,
    runDate,
    invoices,
    history: sent,
    pauses: pauseRecords.filter((p) => !p.resolved).map(pauseOf),
    ...(lastLetterDate ? { lastLetterDate: lastLetterDate as CalendarDate } : {}),
    contact,
  });
  const skipped = decision.skipped.map((s) => ({ invoice: s.number, reason: s.message }));
  const customer: LetterCustomer = {
    customerId,
    name: profile.legalName,
    ...(profile.taxId ? { taxId: profile.taxId } : {}),
    ...(profile.kpp ? { kpp: profile.kpp } : {}),
    ...(profile.postalAddress ? { address: profile.postalAddress } : {}),
    locale: profile.locale,
    emails: [...contact.emails],
  };

  const letters: LetterResult[] = [];
  let claimCase: { action: string; caseId?: string; status?: string } | undefined;
  // The snapshot speaks for the ledger until a recheck finds the version moved; for the claim case, only
  // until the first case change.
  const freshness = { current: true };
  let caseContext = snap.context;
  for (const plan of decision.stages) {
    const result = await deliver(deps, input, decision, plan, customer, snap, freshness);
    letters.push(result);
    // A claim letter opens the claim case; litigation asks the legal team for approval.
    if (deps.onStageReached && !input.dryRun && (result.outcome === 'sent' || result.outcome === 'already-sent') && (plan.stage === 'claim' || plan.stage === 'litigation')) {
      const ctx = caseContext !== undefined && freshness.current ? { context: caseContext } : {};
      claimCase = await deps.onStageReached({ customerId, runDate, stage: plan.stage, invoices: plan.invoices, ...ctx });
      caseContext = undefined;
    }
  }
  const status = decision.stages.length ? 'processed' : 'nothing-due';
  return {
    customerId,
    status,
    summary:
      describe(profile.legalName, letters, skipped, effective.ref) +
      (effective.deviations.length
        ? ` Individual terms (deviation from policy): ${effective.deviations.map((d) => `${d.field} ${JSON.stringify(d.customerValue)} instead of ${JSON.stringify(d.policyValue)}`).join('; ')}.`
        : ''),
    ...(effective.deviations.length ? { deviations: effective.deviations } : {}),
    letters,
    skipped,
    ...(claimCase?.caseId ? { claimCase: { caseId: claimCase.caseId, status: claimCase.status ?? '', action: claimCase.action } } : {}),
  };
}

async function deliver(
  deps: ProcessCustomerDeps,
  input: ProcessCustomerInput,
  decision: CustomerDecision<OpenInvoiceView>,
  plan: StagePlan<OpenInvoiceView>,
  customer: LetterCustomer,
  snap: CustomerSnapshot,
  freshness: { current: boolean },
): Promise<LetterResult> {
  const stage = plan.stage as Stage;
  const base = {
    stage,
    channels: [...plan.channels],
    invoiceNumbers: plan.invoices.map((i) => i.number),
    total: plan.totals.map((t) => ({ amount: t.amount, currency: t.currency })),
  };
  if (input.dryRun) return { ...base, outcome: 'would-send', note: plan.channelNote };

  const key: LetterKey = { runDate: input.runDate, customerId: customer.customerId, stage, owner: input.executionName };
  const invoiceIds = plan.invoices.map((i) => i.invoiceId).sort();
  const outbox = { ...key, invoiceIds, invoiceSetHash: invoiceIds.join(','), channels: [...plan.channels], total: base.total };

  await deps.faults?.beforeRecheck?.(key);
  // Right before sending: the ledger decides again (a payment during the run cancels the letter). When
  // the ledger version has not moved since the snapshot, its invoices are still current.
  const unchanged = deps.ledgerVersion && snap.version !== undefined && (await deps.ledgerVersion(customer.customerId)) === snap.version;
  const fresh = unchanged ? snap.openInvoices : await deps.reader.openInvoices(customer.customerId);
  if (!unchanged) freshness.current = false;
  const rechecked = recheckBeforeSend({ ...decision, stages: [plan] }, fresh);
  const current = rechecked.stages[0];
  if (!current) {
    const cancelled = await deps.dunning.reserveLetter(outbox, { status: 'cancelled', error: 'paid or voided before sending' });
    if (cancelled.outcome === 'already') return alreadyInOutbox(deps, base, key, cancelled);
    return { ...base, outcome: 'cancelled', note: 'paid or voided during the run: letter cancelled' };
  }
  const penalty =
    stage === 'warning' || stage === 'claim' ? await deps.penaltyFor?.(customer.customerId, current.invoices, input.runDate, unchanged ? snap.context : undefined) : undefined;
  const shipments = await deps.shipmentNoticeFor?.(
    customer.customerId,
    stage,
    current.invoices.map((i) => i.invoiceId),
    input.runDate,
    unchanged ? snap.context : undefined,
  );
  const letter = letterFromPlan({
    plan: current,
    customer,
    runDate: input.runDate,
    outgoingNumber: outgoingNumber(input.runDate, customer.customerId, stage, referencePrefixFor(deps.company, customer.locale)),
    ...(penalty ? { penalty } : {}),
    ...(shipments ? { shipments } : {}),
  });

  // Rendering has no side effects: it happens before the claim (a crash here leaves no record, and the
  // retry sends the letter).
  const pdf = current.channels.includes('print') ? await deps.renderer.renderLetterPdf(letter, deps.company) : undefined;
  const email = deps.renderer.renderEmail(letter, { company: deps.company });

  // One conditional write takes the letter and records `sending`: from here on a crash is ambiguous, so
  // nothing slow stands between the claim and the send (the copy of an emailed letter is stored after it).
  let claimed = await deps.dunning.reserveLetter(outbox, { status: 'sending' });
  if (claimed.outcome === 'already') {
    const settled = await settleInterrupted(deps, base, key, claimed, { letter, pdf });
    if (settled !== 'send-again') return settled;
    // Settled as definitely not sent: take it again and send.
    claimed = await deps.dunning.reserveLetter(outbox, { status: 'sending' });
    if (claimed.outcome === 'already') return alreadyInOutbox(deps, base, key, claimed);
  }
  const mailTo = current.channels.includes('email') ? customer.emails : current.channels.includes('legal-notice') && deps.legalTeam.length ? deps.legalTeam : undefined;
  // The archived copy is stored only by the attempt that holds the letter, so it is what was sent
  // (another run or a re-run never overwrites it). A printed-only letter is delivered by the print
  // batch, which reads this copy: it is stored before `sent` (nothing leaves the system, so a crash
  // here is not ambiguous). If that store fails, nothing was sent: release and retry.
  let documentUri: string | undefined;
  if (pdf && !mailTo) {
    try {
      documentUri = await storeCopy(deps, input.runDate, customer.customerId, stage, pdf, letter);
    } catch (err) {
      await deps.dunning.releaseLetter(key, `storing the letter failed: ${(err as Error).message}`);
      throw err;
    }
  }
  await deps.faults?.beforeSend?.(key);
  let messageId: string | undefined;
  try {
    const attachments = pdf ? [{ filename: `${stage}-${letter.outgoingNumber}.pdf`, contentType: 'application/pdf', content: pdf }] : undefined;
    // The letter's id travels with the email (SES tag and header): SES's send event names the letter.
    const letterId = letterIdOf(key);
    const tags = { customerId: customer.customerId, stage, runDate: input.runDate, [LETTER_ID_TAG]: letterId };
    if (mailTo) {
      messageId = (
        await deps.mailer.send({
          from: deps.fromAddress,
          to: mailTo,
          subject: email.subject,
          html: email.html,
          text: email.text,
          attachments,
          tags,
          headers: { [LETTER_ID_HEADER]: letterId },
        })
      ).messageId;
    }
  } catch (err) {
    if (err instanceof TransientError || (err as { name?: string }).name === 'TransientError') {
      await deps.dunning.releaseLetter(key, (err as Error).message);
      throw err; // the state's Retry sends it later
    }
    if ((err as { ambiguous?: boolean }).ambiguous) {
      await deps.dunning.markAmbiguous(key, (err as Error).message);
      return { ...base, outcome: 'ambiguous', note: `the mail service did not answer: ${(err as Error).message}; settled from its send events by the next run` };
    }
    await deps.dunning.markFailed(key, (err as Error).message);
    return { ...base, outcome: 'failed', note: (err as Error).message };
  }
  await deps.faults?.afterSend?.(key);
  let copyNote = '';
  if (pdf && mailTo) {
    // After the send: a failure to store the copy must not turn a sent letter into a resend.
    try {
      documentUri = await storeCopy(deps, input.runDate, customer.customerId, stage, pdf, letter);
    } catch (first) {
      try {
        documentUri = await storeCopy(deps, input.runDate, customer.customerId, stage, pdf, letter);
      } catch {
        copyNote = ` (sent, but its copy could not be stored: ${(first as Error).message})`;
      }
    }
  }
  await deps.dunning.markSent({ ...key, invoiceIds: current.invoices.map((i) => i.invoiceId) }, { messageId, documentUri });
  return {
    ...base,
    invoiceNumbers: current.invoices.map((i) => i.number),
    total: current.totals.map((t) => ({ amount: t.amount, currency: t.currency })),
    outcome: 'sent',
    ...(documentUri ? { documentUri } : {}),
    note: `${current.channelNote ?? ''}${copyNote}`,
  };
}

async function storeCopy(deps: ProcessCustomerDeps, runDate: string, customerId: string, stage: string, pdf: Uint8Array, letter: unknown): Promise<string> {
  const uri = (await deps.documents.put(letterDocumentKey(runDate, customerId, stage, 'pdf'), pdf, 'application/pdf')).uri;
  await deps.documents.put(letterDocumentKey(runDate, customerId, stage, 'json'), JSON.stringify(letter), 'application/json');
  return uri;
}

/**
 * The claim found the letter already in the outbox. A letter left `sending` by an interrupted attempt
 * (its lease expired, or this very execution resumed) or `ambiguous` is settled from the mail
 * service's record (SendEvidence): accepted → sent; definitely not → 'send-again' (this attempt takes
 * it and sends); not known yet → ambiguous until a later run. Without evidence: ambiguous, for an
 * operator (`claimflow letters resolve`).
 */
async function settleInterrupted(
  deps: ProcessCustomerDeps,
  base: Omit<LetterResult, 'outcome' | 'note'>,
  key: LetterKey,
  reserved: Extract<ReserveOutcome, { outcome: 'already' }>,
  copy: { letter: unknown; pdf: Uint8Array | undefined },
): Promise<LetterResult | 'send-again'> {
  const r = reserved.record;
  const interrupted = (r.status === 'sending' && !reserved.leaseActive) || r.status === 'ambiguous';
  if (!interrupted || !deps.sendEvidence) return alreadyInOutbox(deps, base, key, reserved);
  const held = { ...key, owner: r.owner };
  const v = await deps.sendEvidence.verdict(r, (deps.now ?? (() => new Date()))());
  if (v.verdict === 'sent') {
    const settled = await deps.dunning.settleSent({ ...held, invoiceIds: r.invoiceIds }, { ...(v.messageId ? { messageId: v.messageId } : {}), note: `settled as sent: ${v.how}` });
    if (!settled) return alreadyInOutbox(deps, base, key, reserved);
    // The interrupted attempt may have died before storing its copy: this attempt now holds the letter.
    if (copy.pdf && !(await deps.documents.get(letterDocumentKey(r.runDate, r.customerId, r.stage, 'pdf')).catch(() => undefined))) {
      await storeCopy(deps, r.runDate, r.customerId, r.stage, copy.pdf, copy.letter).catch(() => undefined);
    }
    return { ...base, outcome: r.owner === key.owner ? 'sent' : 'already-sent', note: `sent before the interruption (${v.how})` };
  }
  if (v.verdict === 'not-sent') {
    if (await deps.dunning.settleNotSent(held, `settled as not sent: ${v.how}`)) return 'send-again';
    return alreadyInOutbox(deps, base, key, reserved);
  }
  if (r.status === 'sending') await deps.dunning.markAmbiguous(held, `interrupted after starting the send; ${v.how}`);
  return { ...base, outcome: 'ambiguous', note: `the interrupted attempt may have sent it: ${v.how}; the next run settles it` };
}

/** The letter is already in the outbox for this run date: what that record means for this attempt. */
async function alreadyInOutbox(
  deps: ProcessCustomerDeps,
  base: Omit<LetterResult, 'outcome' | 'note'>,
  key: LetterKey,
  reserved: Extract<ReserveOutcome, { outcome: 'already' }>,
): Promise<LetterResult> {
  const r = reserved.record;
  if ((r.status === 'sending' || r.status === 'reserved') && reserved.leaseActive) {
    return { ...base, outcome: 'already-sent', note: `another run (${r.owner}) is sending this letter now (lease until ${r.leaseUntil})` };
  }
  if (r.status === 'sending') {
    await deps.dunning.markAmbiguous({ ...key, owner: r.owner }, 'a previous attempt crashed after starting the send; not resent');
    return { ...base, outcome: 'ambiguous', note: 'the previous attempt may have sent it: check the inbox/SES logs, then resolve' };
  }
  if (r.status === 'ambiguous') return { ...base, outcome: 'ambiguous', note: 'awaiting operator resolution' };
  // This very execution sent it before it was interrupted (a resumed execution, a retried state): it counts here.
  if (r.status === 'sent')
    return { ...base, outcome: r.owner === key.owner ? 'sent' : 'already-sent', note: `sent earlier in this run date (${r.messageId ?? r.documentUri ?? 'no id'})` };
  if (r.status === 'cancelled') return { ...base, outcome: 'cancelled', note: r.error };
  return { ...base, outcome: 'already-sent', note: `another run (${r.owner}) holds this letter` };
}

/** Stable outgoing number per (run date, customer, stage): the same letter keeps its number on retry. */
export function outgoingNumber(runDate: string, customerId: string, stage: string, prefix = 'ИСХ'): string {
  let h = 2166136261;
  for (const ch of `${customerId}#${stage}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${prefix}-${runDate.replaceAll('-', '')}-${stage.slice(0, 1).toUpperCase()}${(h % 1_000_000).toString().padStart(6, '0')}`;
}

const STAGE_WORDS: Record<Stage, string> = { reminder: 'reminder', warning: 'warning', claim: 'claim (претензия)', litigation: 'litigation notice to the legal team' };
const OUTCOME_WORDS: Record<string, string> = {
  sent: 'sent',
  'already-sent': 'already sent earlier',
  ambiguous: 'may have been sent (needs an operator)',
  failed: 'failed',
  cancelled: 'cancelled because the invoices were paid',
  'would-send': 'would be sent (dry run)',
};

function describe(name: string, letters: LetterResult[], skipped: { invoice: string; reason: string }[], ref: { name: string; version: number }): string {
  const parts = letters.map(
    (l) =>
      `${STAGE_WORDS[l.stage]} by ${l.channels.join(' + ')} for ${l.invoiceNumbers.join(', ')} (${l.total.map((t) => `${t.amount} ${t.currency}`).join(', ')}): ${OUTCOME_WORDS[l.outcome] ?? l.outcome}`,
  );
  const head = `${name}, policy ${ref.name} v${ref.version}: `;
  if (!parts.length) return `${head}nothing to send${skipped.length ? ` (${skipped.map((s) => `${s.invoice}: ${s.reason}`).join('; ')})` : ''}.`;
  return `${head}${parts.join('; ')}.${skipped.length ? ` Not dunned: ${skipped.map((s) => `${s.invoice} (${s.reason})`).join('; ')}.` : ''}`;
}
