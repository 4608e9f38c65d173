/**
 * `claimflow replay <archiveRef>`: re-processes an archived webhook payload (after a dead-lettered
 * failure). The payload was authenticated when it arrived, so the signature (whose timestamp has
 * long expired) is not checked again; the ledger's dedupe makes a replay of an applied event a no-op.
 */
import type { DeadLetters, LedgerService } from '../ports/index.js';
import type { WebhookConfig } from './config.js';
import { WEBHOOK_SOURCES, applyCommand, routeOf } from './http.js';
import { silentLogger, type ArchiveReader, type IngestLogger } from '../ports/ingest.js';
import type { SourceName } from './source.js';

export interface ReplayDeps {
  archive: ArchiveReader;
  ledger: LedgerService;
  config: WebhookConfig;
  now: () => Date;
  logger?: IngestLogger;
  deadLetters?: DeadLetters;
}

export interface ReplayResult {
  source: string;
  eventId: string;
  /** applied | duplicate | pending | ignored, or the error code when refused/failed. */
  status: string;
  statusCode: number;
  body: unknown;
}

export async function replayArchived(deps: ReplayDeps, ref: string): Promise<ReplayResult> {
  const logger = deps.logger ?? silentLogger;
  const archived = await deps.archive.read(ref);
  const source = WEBHOOK_SOURCES[archived.source as SourceName];
  if (!source) throw new Error(`archived payload ${ref} has unknown source "${archived.source}"`);
  const route = archived.headers['x-claimflow-route'] ? routeOf(archived.headers['x-claimflow-route']) : undefined;
  const ctx = { config: deps.config, now: deps.now(), subPath: route?.subPath };
  const raw = Buffer.from(archived.raw, 'utf8');
  const mapped = source.map(source.parseTrusted(raw, archived.headers), ctx);
  if (mapped.kind === 'ignored') {
    return { source: archived.source, eventId: mapped.eventId, status: 'ignored', statusCode: 200, body: { status: 'ignored', reason: mapped.reason } };
  }
  const res = await applyCommand({ ...deps, logger }, source.name, mapped, ref, ctx.now, (status, extra = {}) => ({
    statusCode: 200,
    headers: {},
    body: JSON.stringify({ status, eventId: mapped.eventId, ...extra }),
  }));
  const body = JSON.parse(res.body) as { status?: string; error?: { code?: string } };
  return { source: archived.source, eventId: mapped.eventId, status: body.status ?? body.error?.code ?? 'failed', statusCode: res.statusCode, body };
}
