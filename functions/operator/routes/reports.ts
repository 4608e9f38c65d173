/**
 * GET /operator/reports/{name}?asOf=YYYY-MM-DD[&from&to&period&groupBy&buckets&recoveryWindowDays&format&part&source]
 * JSON by default (the Report shape, docs/report.schema.json); format=csv|xlsx|pdf answers the file
 * (base64 body, content-disposition with a file name). Bad input → 400 naming the field.
 */
import { NotFoundError } from '../../domain/errors.js';
import { buildReport, type ReportsDeps } from '../../app/reports.js';

export interface ReportRouteResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

export async function reportRoute(deps: ReportsDeps | undefined, name: string, query: Record<string, string | undefined>): Promise<ReportRouteResponse> {
  if (!deps) throw new NotFoundError('reports are not configured on this endpoint');
  const built = await buildReport(deps, {
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
