/**
 * The web console's part of the local HTTP server: its configuration (/config.json), local sign-in
 * (/auth/users, /auth/sign-in), the bearer-token check in front of the operator API, and the built
 * console itself at / (console-static.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readBody } from '../../functions/operator/node-http.js';
import type { Identity } from '../../functions/operator/router.js';
import type { LocalAuth } from './console-auth.js';
import { serveConsole } from './console-static.js';
import type { StateVisit } from './state-machine.js';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export interface ConsoleHttp {
  /** Serves /config.json, /auth/* and the console's files; false when the request is none of these. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /**
   * The signed-in console user of an operator request: undefined without an Authorization header (the
   * CLI, trusted locally by its X-Claimflow-Operator header), 'expired'/'invalid' for a bad token.
   */
  identityOf(req: IncomingMessage): Identity | undefined | 'expired' | 'invalid';
}

export function consoleHttp(auth: LocalAuth): ConsoleHttp {
  return {
    identityOf(req) {
      const h = req.headers.authorization;
      if (!h) return undefined;
      const m = /^Bearer\s+(.+)$/i.exec(h);
      return m ? auth.verify(m[1]!.trim()) : 'invalid';
    },
    async handle(req, res, url) {
      if (req.method === 'GET' && url.pathname === '/config.json') {
        res.writeHead(200, JSON_TYPE);
        res.end(JSON.stringify({ auth: 'local', apiBase: '' }));
        return true;
      }
      if (req.method === 'GET' && url.pathname === '/auth/users') {
        res.writeHead(200, JSON_TYPE);
        res.end(JSON.stringify({ users: auth.users }));
        return true;
      }
      if (req.method === 'POST' && url.pathname === '/auth/sign-in') {
        const body = await readBody(req, 4096);
        let user = '';
        try {
          user = body === 'too-large' ? '' : String((JSON.parse(body.toString('utf8') || '{}') as { user?: unknown }).user ?? '');
        } catch {
          /* answered below */
        }
        const session = auth.signIn(user);
        res.writeHead(session ? 200 : 400, JSON_TYPE);
        res.end(
          JSON.stringify(
            session ?? { error: { code: 'VALIDATION_FAILED', message: 'The request has invalid fields.', fields: [{ field: 'user', message: 'not a configured console user' }] } },
          ),
        );
        return true;
      }
      return serveConsole(req, res);
    },
  };
}

/** 401 body for an operator request with an expired or bad session token. */
export const unauthenticated = (why: 'expired' | 'invalid') => ({
  error: { code: 'UNAUTHENTICATED', message: why === 'expired' ? 'The session has expired: sign in again.' : 'Not signed in: sign in again.' },
});

/**
 * The local stand-in for an execution's history in the Step Functions console: the state visits of a
 * local execution, consecutive repeats folded into a count (a Map's items repeat the same states),
 * at most 400 rows, stored on the execution's claim item.
 */
export function compactHistory(visits: StateVisit[]): { name: string; type: string; event: string; error?: string; count?: number }[] {
  const out: { name: string; type: string; event: string; error?: string; count?: number }[] = [];
  const seen = new Map<string, { name: string; type: string; event: string; error?: string; count?: number }>();
  for (const v of visits) {
    const key = `${v.name}|${v.event}|${v.error ?? ''}`;
    const prev = seen.get(key);
    if (prev && v.type !== 'Task') {
      prev.count = (prev.count ?? 1) + 1;
      continue;
    }
    if (prev && v.type === 'Task' && out.length >= 400) {
      prev.count = (prev.count ?? 1) + 1;
      continue;
    }
    const row = { name: v.name, type: v.type, event: v.event, ...(v.error ? { error: v.error } : {}) };
    if (out.length < 400) {
      out.push(row);
      seen.set(key, row);
    } else if (prev) prev.count = (prev.count ?? 1) + 1;
  }
  return out;
}

export async function recordExecution(
  db: { doc: DynamoDBDocumentClient; tableName: string },
  name: string,
  result: { status: string; visits: StateVisit[]; error?: { Error: string } },
): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { PK: `EXECUTION#${name}`, SK: 'EXECUTION' },
        UpdateExpression: 'SET #st = :s, finishedAt = :f, history = :h',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':s': result.status, ':f': new Date().toISOString(), ':h': compactHistory(result.visits) },
      }),
    );
  } catch {
    // The history is a convenience for operators; a failure to store it never fails the run.
  }
}
