/**
 * GET /operator/reports/{name}?asOf=YYYY-MM-DD[&from&to&period&groupBy&buckets&recoveryWindowDays&format&part&source]
 * JSON by default (the Report shape, docs/report.schema.json); format=csv|xlsx|pdf answers the file
 * (base64 body, content-disposition with a file name). Bad input → 400 naming the field. With a read
 * budget (REPORT_SYNC_BUDGET_MS), a report whose ledger read outlasts it answers 422 REPORT_NEEDS_JOB
 * naming POST /operator/reports/{name}/jobs (routes/report-jobs.ts).
 */
import { NotFoundError } from '../../domain/errors.js';
import { buildReport, type ReportsDeps } from '../../app/reports.js';
import { buildReportWithin } from '../../app/report-jobs.js';

export interface ReportRouteResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

export async function reportRoute(deps: ReportsDeps | undefined, name: string, query: Record<string, string | undefined>, budgetMs?: number): Promise<ReportRouteResponse> {
  if (!deps) throw new NotFoundError('reports are not configured on this endpoint');
  const build: typeof buildReport = budgetMs === undefined ? buildReport : (d, input) => buildReportWithin(d, input, budgetMs);
  const built = await build(deps, {
    name,
    asOf: query.asOf,
    from: query.from,
    to: query.to,
    period: query.period,
    groupBy: query.groupBy,
    buckets: query.buckets,
    recoveryWindowDays: query.recoveryWindowDays,
    format: query.format,
    part: query.part,
    source: query.source,
  });
  if (!built.bytes) return { statusCode: 200, headers: { 'content-type': built.contentType }, body: JSON.stringify(built.report) };
  return {
    statusCode: 200,
    headers: { 'content-type': built.contentType, 'content-disposition': `attachment; filename="${built.filename}"` },
    body: Buffer.from(built.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}
