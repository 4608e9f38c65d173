/**
 * Bank-statement import: parse a 1C client-bank file, match each incoming payment, apply it to the
 * ledger; unmatched or refused documents go to the review list (never lost); broken sections are
 * reported by line. Idempotent: payment ids are hashes of the document, so a reimport books nothing twice.
 */
import { ClaimflowError } from '../domain/errors.js';
import type { Currency } from '../domain/money.js';
import type { LedgerService } from '../ports/index.js';
import { parseBankFile, type BankFileError } from './bank-file.js';
import { matchBankDocument } from './bank-match.js';
import { silentLogger, type CustomerDirectory, type IngestLogger, type ReviewList } from '../ports/ingest.js';

export interface BankImportConfig {
  /** The company's settlement accounts; only payments into them are imported. Absent: the РасчСчет the file lists; none listed: all. */
  companyAccounts?: string[];
  /** Currency of the statement (ruble accounts: RUB). */
  currency?: Currency;
}

export interface BankImportDeps {
  ledger: LedgerService;
  directory: CustomerDirectory;
  review: ReviewList;
  config?: BankImportConfig;
  now: () => Date;
  logger?: IngestLogger;
}

export interface BankImportInput {
  /** Identifies this upload (e.g. the S3 key + version); review items are keyed by (importId, line). */
  importId: string;
  bytes: Uint8Array;
  /** Where the file is kept (s3://… or file://…); recorded as the archive reference of each payment. */
  archiveRef?: string;
}

export interface BankImportResult {
  importId: string;
  encoding: string;
  documents: number;
  imported: number;
  duplicates: number;
  /** Outgoing payments and payments into other accounts. */
  skipped: number;
  /** Documents put on the review list. */
  review: { line: number; reason: string }[];
  /** Broken sections and file-level problems, by line. */
  errors: BankFileError[];
}

export async function importBankStatement(deps: BankImportDeps, input: BankImportInput): Promise<BankImportResult> {
  const logger = deps.logger ?? silentLogger;
  const parsed = parseBankFile(input.bytes);
  // Not configured: the accounts the statement itself is for (РасчСчет); none listed: every document.
  const companyAccounts = deps.config?.companyAccounts?.length ? deps.config.companyAccounts : parsed.accounts;
  const currency = deps.config?.currency ?? 'RUB';
  const result: BankImportResult = {
    importId: input.importId,
    encoding: parsed.encoding,
    documents: parsed.documents.length,
    imported: 0,
    duplicates: 0,
    skipped: 0,
    review: [],
    errors: parsed.errors,
  };
  const receivedAt = deps.now().toISOString();

  for (const doc of parsed.documents) {
    const match = await matchBankDocument(deps.directory, doc, { companyAccounts, currency });
    if (match.kind === 'skip') {
      result.skipped++;
      continue;
    }
    let reason: string | undefined = match.kind === 'review' ? match.reason : undefined;
    if (match.kind === 'payment') {
      try {
        const applied = await deps.ledger.apply(match.command, {
          source: 'bank',
          eventId: match.command.paymentId,
          archiveRef: input.archiveRef ?? input.importId,
          receivedAt,
        });
        if (applied.status === 'duplicate') result.duplicates++;
        else result.imported++;
        if (match.unmatchedNumbers.length) {
          logger.info('bank payment names invoices not found; allocated by the ledger rules', { importId: input.importId, line: doc.line, numbers: match.unmatchedNumbers });
        }
      } catch (err) {
        // Refusals (unknown customer, closed period, currency mismatch …) go to review; anything else
        // (throttling, outage) fails the import so it is retried — reimporting is idempotent.
        if (!(err instanceof ClaimflowError) || err.status >= 500) throw err;
        reason = `refused by the ledger: ${err.message}`;
      }
    }
    if (reason !== undefined) {
      await deps.review.add({ importId: input.importId, line: doc.line, reason, document: doc });
      result.review.push({ line: doc.line, reason });
    }
  }
  logger.info('bank statement imported', {
    importId: input.importId,
    documents: result.documents,
    imported: result.imported,
    duplicates: result.duplicates,
    skipped: result.skipped,
    review: result.review.length,
    errors: result.errors.length,
  });
  return result;
}
