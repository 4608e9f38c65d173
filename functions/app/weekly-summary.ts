/**
 * Use case: the weekly management summary for one date — read every book, compute the summary
 * (functions/domain/reports/summary.ts), render its PDF, store it with the summary JSON under
 * reports/weekly-summary/<date>.{pdf,json} (how an operator finds a week's run), and email it with
 * the PDF attached. One summary per date: when the JSON for the date exists, nothing is sent again.
 */
import type { CalendarDate } from '../domain/dates.js';
import type { ReportsConfig } from '../domain/reports/config.js';
import { weeklySummary, type WeeklySummary } from '../domain/reports/summary.js';
import { dailySnapshot, snapshotTotals } from '../domain/reports/snapshot.js';
import type { DocumentStore, Mailer } from '../ports/index.js';
import type { ReportSource } from '../ports/reports.js';
import { renderSummaryPdf, summaryText } from '../render/report-summary-pdf.js';

export interface WeeklySummaryDeps {
  source: ReportSource;
  mailer: Mailer;
  documents: DocumentStore;
  config: ReportsConfig;
  fromAddress: string;
  /** Used when the configuration names no summary recipients (the collections digest list). */
  fallbackRecipients: string[];
  company?: { name: string };
}

export interface SentSummary {
  asOf: CalendarDate;
  status: 'sent' | 'already-sent' | 'no-recipients';
  recipients: string[];
  messageId?: string;
  pdfUri: string;
  jsonUri: string;
  summary: WeeklySummary;
}

export const summaryKey = (asOf: CalendarDate, ext: 'pdf' | 'json'): string => `reports/weekly-summary/${asOf}.${ext}`;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export async function sendWeeklySummary(deps: WeeklySummaryDeps, asOf: CalendarDate, opts: { force?: boolean } = {}): Promise<SentSummary> {
  const existing = opts.force ? undefined : await deps.documents.get(summaryKey(asOf, 'json'));
  if (existing) {
    const prev = JSON.parse(Buffer.from(existing).toString('utf8')) as SentSummary;
    return { ...prev, status: 'already-sent' };
  }
  const books = await deps.source.books();
  const summary = weeklySummary(books, { asOf, targets: deps.config.targets, recoveryWindowDays: deps.config.recoveryWindowDays });
  const pdf = await renderSummaryPdf(summary, deps.company);
  const pdfUri = (await deps.documents.put(summaryKey(asOf, 'pdf'), pdf, 'application/pdf')).uri;
  const recipients = deps.config.summary.recipients.length ? deps.config.summary.recipients : deps.fallbackRecipients;
  let messageId: string | undefined;
  if (recipients.length) {
    const text = summaryText(summary);
    const sent = await deps.mailer.send({
      from: deps.fromAddress,
      to: recipients,
      subject: `Receivables weekly summary ${summary.weekStart} – ${asOf}`,
      text,
      html: `<pre style="font-family: sans-serif">${esc(text)}</pre>`,
      attachments: [{ filename: `weekly-summary-${asOf}.pdf`, contentType: 'application/pdf', content: pdf }],
      tags: { kind: 'weekly-summary', asOf },
    });
    messageId = sent.messageId;
  }
  const jsonUri = (await deps.documents.put(summaryKey(asOf, 'json'), '', 'application/json')).uri;
  const result: SentSummary = { asOf, status: recipients.length ? 'sent' : 'no-recipients', recipients, ...(messageId ? { messageId } : {}), pdfUri, jsonUri, summary };
  await deps.documents.put(summaryKey(asOf, 'json'), JSON.stringify(result, null, 2), 'application/json');
  return result;
}

const snapshotKey = (date: CalendarDate): string => `reports/snapshots/${date}.json`;
/** The day's totals (per currency, and per manager / segment / portfolio): what dynamics read. */
export const snapshotTotalsKey = (date: CalendarDate): string => `reports/snapshots/${date}.totals.json`;

/**
 * The nightly snapshot of a day (functions/domain/reports/snapshot.ts), stored as
 * reports/snapshots/<date>.json (a row per customer and currency) and its totals as
 * reports/snapshots/<date>.totals.json (written last: its presence means the day is complete). The
 * dynamics report reads the totals instead of the ledger (functions/app/reports.ts).
 */
export async function writeDailySnapshot(deps: Pick<WeeklySummaryDeps, 'source' | 'documents' | 'config'>, date: CalendarDate): Promise<{ uri: string; rows: number }> {
  const books = await deps.source.books();
  const snap = dailySnapshot(books, date, deps.config.buckets);
  const { uri } = await deps.documents.put(snapshotKey(date), JSON.stringify(snap), 'application/json');
  await deps.documents.put(snapshotTotalsKey(date), JSON.stringify(snapshotTotals(snap)), 'application/json');
  return { uri, rows: snap.rows.length };
}
