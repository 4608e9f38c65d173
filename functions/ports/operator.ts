/**
 * Operator ports: the audit trail, pauses and letters as operators change them, the ledger as
 * operators use it, the run launcher and the bank review list.
 */
import type { CalendarDate } from '../domain/dates.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { LetterRecord, PauseRecord } from './dunning.js';
import type { ReviewItem } from './ingest.js';
import type { LedgerReader, LedgerService, PeriodClose, RefusalRecord } from './ledger.js';

/** Who acts: the operator's name (CLI --by / $USER) and, in the cloud, the authenticated IAM principal. */
export interface Actor {
  by: string;
  principal?: string;
}

export type AuditAction =
  | 'pause'
  | 'resume'
  | 'promise'
  | 'schedule'
  | 'period.close'
  | 'run.start'
  | 'letter.resolve'
  | 'bank.import'
  | 'review.resolve'
  | 'replay'
  | 'access.denied';

/** One audited operator action: who, when, why and what. */
export interface AuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  /** Business day of `at` in the company time zone (the per-day index). */
  day: CalendarDate;
  action: AuditAction | 'ledger-refusal';
  by: string;
  principal?: string;
  reason: string;
  customerId?: string;
  /** What was acted on and the outcome, in plain data. */
  details: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  byCustomer(customerId: string, opts?: { limit?: number }): Promise<AuditEntry[]>;
  byDay(day: CalendarDate): Promise<AuditEntry[]>;
}

/** Pauses and letters as operators see and change them. */
export interface OperatorDunning {
  putPause(p: PauseRecord): Promise<void>;
  resolvePause(customerId: string, pauseId: string, resolved: { by: string; at: string; reason: string }): Promise<boolean>;
  pauses(customerId: string): Promise<PauseRecord[]>;
  getLetter(runDate: string, customerId: string, stage: string): Promise<LetterRecord | undefined>;
  lettersOfRun(runDate: string): Promise<LetterRecord[]>;
  getRun(runDate: string): Promise<Record<string, unknown> | undefined>;
  failuresOfRun?(runDate: string): Promise<{ customerId: string; error: string; cause: string }[]>;
}

/** Moves an ambiguous letter to sent (stage recorded on its invoices) or not-sent (a re-run may send it). */
export interface LetterResolver {
  resolveAmbiguous(letter: LetterRecord, outcome: 'sent' | 'not-sent', resolution: { by: string; at: string; reason: string }): Promise<boolean>;
}

/** The ledger as operators use it. */
export interface OperatorLedger extends LedgerReader, LedgerService {
  listEntries(customerId: string): Promise<{ command: LedgerCommand }[]>;
  closePeriod(through: CalendarDate, by: string, reason: string): Promise<PeriodClose>;
  getPeriodClose(): Promise<PeriodClose | undefined>;
  listRefusals?(opts: { customerId?: string; limit?: number }): Promise<RefusalRecord[]>;
}

/** Starts a (non-dry) run: Step Functions in the cloud, the in-process runner locally. */
export interface RunLauncher {
  launch(req: { runDate: CalendarDate; rerun?: string }): Promise<{ executionName: string; status: string }>;
}

export interface StoredReviewItem extends ReviewItem {
  status: string;
  at: string;
}

export type ReviewResolution = { outcome: 'booked' | 'dismissed'; by: string; at: string; reason: string; customerId?: string; paymentId?: string };

export interface ReviewReader {
  listOpen(opts?: { limit?: number }): Promise<StoredReviewItem[]>;
  get(importId: string, line: number): Promise<(StoredReviewItem & { resolution?: unknown }) | undefined>;
  close(importId: string, line: number, resolution: ReviewResolution): Promise<boolean>;
}
