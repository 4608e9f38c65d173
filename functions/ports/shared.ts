/**
 * Ports every area uses: mail, stored documents, dead letters, the raw-payload archive and a logger.
 * Adapters (functions/adapters) implement them; tests pass fakes.
 */
export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Optional attachments (PDF letters). */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
  /** Tags for SES event destinations (customerId, stage, runDate, letterId). */
  tags?: Record<string, string>;
  /** Extra message headers (X-Claimflow-Letter: the letter's id). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** `raw`, when the adapter composed the message itself: the exact MIME bytes it handed to the provider. */
  send(mail: OutgoingEmail): Promise<{ messageId: string; raw?: Uint8Array }>;
}

export interface DocumentStore {
  /** Stores a document; returns its URI (s3://bucket/key or file:///path). */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<{ uri: string }>;
  get(key: string): Promise<Uint8Array | undefined>;
}

/** Dead-letter sink: failures with enough context to replay. */
export interface DeadLetters {
  send(failure: { kind: string; reason: string; context: Record<string, unknown> }): Promise<void>;
}

/** Raw-payload archive: written before a webhook is acknowledged. */
export interface PayloadArchive {
  archive(source: string, id: string, raw: string, headers: Record<string, string>): Promise<{ ref: string }>;
}

/** What use cases log through (Powertools Logger, or anything with info and warn). */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}
