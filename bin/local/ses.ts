/**
 * Local SES (aws-ses-v2-local): accepts SES v1 SendEmail/SendRawEmail and v2 SendEmail, keeps every
 * message in memory and shows them in a web inbox. It runs as a child process (its CLI), so a bug in
 * it cannot take the runner down and the supervisor can stop it like any other child.
 *
 * Read-back API of the server: GET /store[?since=<epoch s>], GET /get-emlContent?messageId=,
 * POST /clear-store; the inbox UI is at /.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readSendJournal, type SendJournal } from './ses-journal.js';
import type { SESClient } from '@aws-sdk/client-ses';
import { assertPortFree, waitForPort } from './ports.js';
import { createSesClient } from '../../functions/adapters/aws-clients.js';

/** One stored email as GET /store returns it. */
export interface LocalSesEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Parsed attachments; `content` is base64. */
  attachments: { content: string; contentType: string; filename?: string; size: number; [k: string]: unknown }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

export interface LocalSes {
  /** SES API endpoint for an SESClient (`endpoint`). */
  endpoint: string;
  /** The web inbox. */
  inboxUrl: string;
  port: number;
  /** PID of the server process. */
  pid: number;
  /** Stored emails, oldest first; `since` filters on whole seconds (the server's resolution). */
  listEmails(since?: Date): Promise<LocalSesEmail[]>;
  /** The message as .eml text, re-rendered by the server from what it stored. */
  emlOf(messageId: string): Promise<string>;
  /** What the send journal holds (letter id → message id); empty without a journal. */
  sentLetters(): Promise<SendJournal>;
  /** Empties the store. */
  clear(): Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); idempotent. */
  stop(): Promise<void>;
}

export const LOCAL_SES_REGION = 'eu-central-1';
export const LOCAL_SES_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An SES v1 client pointed at the local server (dummy credentials: it only checks that some are sent). */
export function localSesClient(endpoint: string): SESClient {
  return createSesClient({ endpoint, region: LOCAL_SES_REGION, credentials: LOCAL_SES_CREDENTIALS });
}

/**
 * Starts aws-ses-v2-local on `bind` (default 127.0.0.1):`port`. A busy port throws PortBusyError before anything is
 * spawned; a server that dies during start throws with its output.
 */
export async function startLocalSes(opts: { port: number; startTimeoutMs?: number; bind?: string; journal?: string }): Promise<LocalSes> {
  const { port } = opts;
  const bind = opts.bind ?? '127.0.0.1';
  await assertPortFree(port, 'local SES');
  // aws-ses-v2-local's CLI, through a wrapper that keeps the send journal (ses-server.cjs).
  const cli = fileURLToPath(new URL('./ses-server.cjs', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [cli, '--host', bind, '--port', String(port), ...(opts.journal ? ['--journal', opts.journal] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SMTP_TRANSPORT: '' },
  });
  let output = '';
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stop = async () => {
    if (exited || child.exitCode !== null || child.signalCode !== null) return;
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.kill('SIGTERM');
    await exitedPromise;
    clearTimeout(t);
  };

  try {
    await Promise.race([
      waitForPort(port, opts.startTimeoutMs ?? 20_000),
      exitedPromise.then(() => {
        throw new Error(`local SES exited during start: ${output.trim()}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw new Error(`local SES did not start on port ${port}: ${(err as Error).message}`, { cause: err });
  }

  const base = `http://127.0.0.1:${port}`;
  const getJson = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    const body = await res.text();
    if (!res.ok) throw new Error(`local SES ${path} answered ${res.status}: ${body}`);
    return JSON.parse(body) as unknown;
  };

  const listEmails = async (since?: Date) => {
    const q = since ? `?since=${Math.floor(since.getTime() / 1000)}` : '';
    const store = (await getJson(`/store${q}`)) as { emails: LocalSesEmail[] };
    return store.emails;
  };

  return {
    endpoint: base,
    inboxUrl: `${base}/`,
    port,
    pid: child.pid ?? -1,
    listEmails,
    async emlOf(messageId: string) {
      // The server answers a missing id twice (and crashes on it); ask the store first.
      const known = (await listEmails()).some((e) => e.messageId === messageId);
      if (!known) throw new Error(`local SES has no email ${messageId}`);
      const out = (await getJson(`/get-emlContent?messageId=${encodeURIComponent(messageId)}`)) as {
        body: { type: 'Buffer'; data: number[] } | string;
      };
      return typeof out.body === 'string' ? out.body : Buffer.from(out.body.data).toString('utf8');
    },
    sentLetters: () => (opts.journal ? readSendJournal(opts.journal) : Promise.resolve(new Map())),
    async clear() {
      const res = await fetch(`${base}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`local SES /clear-store answered ${res.status}`);
    },
    stop,
  };
}
