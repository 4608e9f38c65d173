/**
 * The ledger over one DynamoDB table, composed (a composition module: it may import app): the write
 * use case (functions/app/ledger-write.ts) over the write-path store and the period-close/refusal
 * records, the read side, and the ledger reads that fold (state, reconciliation). One object, so every
 * caller (webhook, bank import, operator, claims, the run) shares one per-instance cache.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CalendarDate } from '../domain/dates.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { LedgerState } from '../domain/ledger/fold.js';
import type { ReconciliationStatement } from '../domain/ledger/reconcile.js';
import type { Currency } from '../domain/money.js';
import type { ApplyResult, CommandOrigin, LedgerService, PeriodClose, RefusalRecord } from '../ports/ledger.js';
import type { ClaimsLedger } from '../ports/claims.js';
import type { OperatorLedger } from '../ports/operator.js';
import { LedgerWriter, type LedgerWriterOptions } from '../app/ledger-write.js';
import { ledgerStateOf, reconcileCustomer } from '../app/ledger.js';
import { DynamoLedgerReader } from './dynamo-ledger-reader.js';
import { DynamoLedgerRecords } from './dynamo-ledger-records.js';
import { DynamoLedgerStore } from './dynamo-ledger-store.js';

export type { CustomerFile } from './dynamo-ledger-reader.js';

export interface DynamoLedgerOptions extends Omit<LedgerWriterOptions, 'store' | 'periods' | 'refusals'> {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export class DynamoLedger extends DynamoLedgerReader implements LedgerService, OperatorLedger, ClaimsLedger {
  private readonly writer: LedgerWriter;
  private readonly records: DynamoLedgerRecords;

  constructor(opts: DynamoLedgerOptions) {
    super(opts);
    const { doc, tableName, ...writer } = opts;
    this.records = new DynamoLedgerRecords({ doc, tableName });
    this.writer = new LedgerWriter({ ...writer, store: new DynamoLedgerStore({ doc, tableName }), periods: this.records, refusals: this.records });
  }

  apply(command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> {
    return this.writer.apply(command, origin);
  }

  importHistory(customerId: string, commands: LedgerCommand[], origin: Omit<CommandOrigin, 'eventId'>): Promise<{ entries: number }> {
    return this.writer.importHistory(customerId, commands, origin);
  }

  closePeriod(through: CalendarDate, by: string, reason: string): Promise<PeriodClose> {
    return this.writer.closePeriod(through, by, reason);
  }

  getPeriodClose(): Promise<PeriodClose | undefined> {
    return this.records.getPeriodClose();
  }

  async getClosedThrough(): Promise<CalendarDate | undefined> {
    return (await this.records.getPeriodClose())?.closedThrough;
  }

  listPeriodCloses(): Promise<(PeriodClose & { previous?: CalendarDate })[]> {
    return this.records.listPeriodCloses();
  }

  listRefusals(opts: { customerId?: string; limit?: number } = {}): Promise<RefusalRecord[]> {
    return this.records.listRefusals(opts);
  }

  ledgerState(customerId: string): Promise<LedgerState> {
    return ledgerStateOf(this, customerId);
  }

  reconciliation(customerId: string, from: CalendarDate, to: CalendarDate, currency?: Currency): Promise<ReconciliationStatement> {
    return reconcileCustomer(this, customerId, from, to, currency);
  }
}
