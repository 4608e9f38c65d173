/**
 * The webhook core, framework-free: the Lambda entry (functions/handlers/webhook.ts) and the local
 * HTTP server both call `handleWebhook`.
 *
 * Order: route → size (413) → authenticity (401, nothing stored) → parse (400) → validation (400,
 * field-level) → archive raw payload → LedgerService.apply → 200. A failure after the archive goes
 * to the dead-letter sink with the archive reference and answers 500 (the provider retries; the
 * operator can `claimflow replay <archiveRef>`).
 */
import { ClaimflowError, errorBody, PayloadTooLargeError, NotFoundError } from '../domain/errors.js';
import type { ApplyResult, DeadLetters, LedgerService, PayloadArchive } from '../ports/index.js';
import type { WebhookConfig } from './config.js';
import type { IngestLogger } from '../ports/ingest.js';
import type { Mapped, SourceName, WebhookSource } from './source.js';
import { billingSource } from './billing.js';
import { stripeSource } from './stripe.js';
import { yookassaSource } from './yookassa.js';
import { cloudpaymentsSource } from './cloudpayments.js';
import type { BusinessMetrics } from '../ports/metrics.js';

export const WEBHOOK_SOURCES: Record<SourceName, WebhookSource> = {
  billing: billingSource,
  stripe: stripeSource,
  yookassa: yookassaSource,
  cloudpayments: cloudpaymentsSource,
};

export interface WebhookDeps {
  ledger: LedgerService;
  archive: PayloadArchive;
  /** Where processing failures go (SQS in the cloud). Without it failures are only logged. */
  deadLetters?: DeadLetters;
  config: WebhookConfig;
  now: () => Date;
  logger: IngestLogger;
  /** Counts refused events (IngestRefusals by source and code); absent: not counted. */
  metrics?: BusinessMetrics;
}

export interface WebhookRequest {
  /** Request path, e.g. "/webhooks/stripe" (a stage prefix such as "/prod" is tolerated). */
  path: string;
  /** HTTP method; when given, anything but POST is 405. */
  method?: string;
  headers: Record<string, string | undefined>;
  /** The exact raw body: bytes, or a string taken as UTF-8. */
  rawBody: Uint8Array | string;
  /** Sender IP (API Gateway requestContext.http.sourceIp); YooKassa's allowlist needs it. */
  sourceIp?: string;
}

export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function respond(statusCode: number, body: unknown): WebhookResponse {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

function errorResponse(err: unknown): WebhookResponse {
  const { status, body } = errorBody(err);
  return respond(status, body);
}

/** "/webhooks/<source>[/<sub>]" → source and sub-path. */
export function routeOf(path: string): { source: SourceName; subPath?: string } | undefined {
  const m = /(?:^|\/)webhooks\/(billing|stripe|yookassa|cloudpayments)(?:\/([a-z]+))?\/?$/.exec(path.split('?')[0] ?? '');
  if (!m) return undefined;
  return { source: m[1] as SourceName, subPath: m[2] };
}

/** Headers worth keeping with the archived payload (no credentials). */
function archivableHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    if (key === 'authorization' || key === 'cookie' || key === 'x-api-key') continue;
    out[key] = v;
  }
  return out;
}

const summarise = (r: ApplyResult) => ({ status: r.status, entryKey: r.entryKey, ...(r.status === 'pending' ? { waitingFor: r.waitingFor } : {}) });

export async function handleWebhook(deps: WebhookDeps, request: WebhookRequest): Promise<WebhookResponse> {
  const { logger, config } = deps;
  const route = routeOf(request.path);
  if (!route) return errorResponse(new NotFoundError(`no webhook route ${request.path}`));
  if (request.method && request.method.toUpperCase() !== 'POST') {
    return respond(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'use POST' } });
  }
  const source = WEBHOOK_SOURCES[route.source];
  if (!source.enabled(config)) return errorResponse(new NotFoundError(`webhook route /webhooks/${route.source} is not enabled`));

  // 1. Size, before anything else reads the body.
  const raw = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : Buffer.from(request.rawBody);
  if (raw.byteLength > config.maxBodyBytes) {
    logger.warn('webhook body too large', { source: route.source, bytes: raw.byteLength });
    return errorResponse(new PayloadTooLargeError(`body is ${raw.byteLength} bytes; the limit is ${config.maxBodyBytes}`));
  }

  const now = deps.now();
  const ctx = { config, now, subPath: route.subPath };
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => [k.toLowerCase(), v]),
  );

  // 2–4. Authenticity, parse, validation and mapping: nothing is stored when any of them fails.
  let mapped: Mapped;
  try {
    const payload = source.authenticateAndParse({ rawBody: raw, headers, sourceIp: request.sourceIp }, ctx);
    mapped = source.map(payload, ctx);
  } catch (err) {
    if (err instanceof ClaimflowError) {
      logger.warn('webhook refused', { source: route.source, code: err.code, reason: err.message, sourceIp: request.sourceIp });
      deps.metrics?.count('IngestRefusals', 1, { source: route.source, code: err.code });
      return errorResponse(err);
    }
    logger.error('webhook intake failed', { source: route.source, error: describe(err) });
    return errorResponse(err);
  }
  logger.setCorrelationId?.(mapped.eventId);
  const ok = (status: string, extra: Record<string, unknown> = {}) => respond(200, source.successBody ? source.successBody(status) : { status, eventId: mapped.eventId, ...extra });

  if (mapped.kind === 'ignored') {
    logger.info('webhook acknowledged, nothing to book', { source: route.source, eventId: mapped.eventId, reason: mapped.reason });
    return ok('ignored', { reason: mapped.reason });
  }

  // 5. Archive the raw payload before acknowledging anything.
  let archiveRef: string;
  try {
    archiveRef = (await deps.archive.archive(route.source, mapped.eventId, raw.toString('utf8'), { ...archivableHeaders(request.headers), 'x-claimflow-route': request.path })).ref;
  } catch (err) {
    logger.error('archiving webhook payload failed; not acknowledged', { source: route.source, eventId: mapped.eventId, error: describe(err) });
    return errorResponse(err);
  }

  // 6. Apply.
  return applyCommand(deps, route.source, mapped, archiveRef, now, ok);
}

/** Applies a mapped command; shared by the webhook and replay. */
export async function applyCommand(
  deps: Pick<WebhookDeps, 'ledger' | 'deadLetters' | 'logger' | 'metrics'>,
  source: SourceName,
  mapped: Extract<Mapped, { kind: 'command' }>,
  archiveRef: string,
  now: Date,
  ok: (status: string, extra?: Record<string, unknown>) => WebhookResponse,
): Promise<WebhookResponse> {
  const { logger } = deps;
  try {
    const result = await deps.ledger.apply(mapped.command, { source, eventId: mapped.eventId, archiveRef, receivedAt: now.toISOString() });
    logger.info('webhook applied', { source, eventId: mapped.eventId, type: mapped.command.type, result: result.status, archiveRef });
    return ok(result.status, summarise(result));
  } catch (err) {
    if (err instanceof ClaimflowError && err.status < 500) {
      // Refused by the ledger (unknown customer, closed period …): a clear 4xx, recorded by the ledger's audit.
      logger.warn('webhook refused by the ledger', { source, eventId: mapped.eventId, code: err.code, reason: err.message, archiveRef });
      deps.metrics?.count('IngestRefusals', 1, { source, code: err.code });
      return errorResponse(err);
    }
    logger.error('webhook processing failed; sent to dead letters', { source, eventId: mapped.eventId, archiveRef, error: describe(err) });
    if (deps.deadLetters) {
      try {
        await deps.deadLetters.send({
          kind: 'webhook',
          reason: describe(err),
          context: { source, eventId: mapped.eventId, archiveRef, commandType: mapped.command.type, replay: `claimflow replay ${archiveRef}` },
        });
      } catch (dlqErr) {
        logger.error('dead-letter send failed', { source, eventId: mapped.eventId, archiveRef, error: describe(dlqErr) });
      }
    }
    return errorResponse(err instanceof ClaimflowError ? err : new Error('processing failed'));
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
