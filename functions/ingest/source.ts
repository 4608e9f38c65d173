/**
 * A webhook source: how one sender is authenticated, parsed and mapped to a ledger command.
 */
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { WebhookConfig } from './config.js';

export type SourceName = 'billing' | 'stripe' | 'yookassa' | 'cloudpayments';

export interface SourceContext {
  config: WebhookConfig;
  now: Date;
  /** Sub-route after /webhooks/<source>/ (CloudPayments notification kind), if any. */
  subPath?: string;
}

export interface InboundRequest {
  rawBody: Buffer;
  headers: Record<string, string>;
  sourceIp?: string;
}

export type Mapped =
  /** One ledger command; `eventId` is the provider's dedupe key. */
  | { kind: 'command'; eventId: string; command: LedgerCommand }
  /** Acknowledged, nothing stored (e.g. a failed or cancelled payment, an event type we do not book). */
  | { kind: 'ignored'; eventId: string; reason: string };

export interface WebhookSource {
  readonly name: SourceName;
  /** True when the source is configured (secrets / allowlist present). */
  enabled(config: WebhookConfig): boolean;
  /** Checks authenticity (throws AuthenticationError) and parses the body (throws ValidationError). */
  authenticateAndParse(req: InboundRequest, ctx: SourceContext): unknown;
  /** Parses an already-authenticated (archived) body, for replay. */
  parseTrusted(raw: Buffer, headers: Record<string, string>): unknown;
  /** Validates the payload and maps it (throws ValidationError naming provider fields). */
  map(payload: unknown, ctx: SourceContext): Mapped;
  /** Success body for this sender (CloudPayments expects {"code":0}). */
  successBody?(status: string): Record<string, unknown>;
}
