/**
 * Local sign-in for the web console: a configured user list (name and roles; no password — the local
 * stack is one trusted machine) and signed session tokens (HMAC-SHA256 with a key made at start, so a
 * restart signs everyone out). In AWS the console signs in with Cognito instead (infra/constructs/
 * console.ts) and API Gateway verifies the JWT.
 *
 * Users: `<data dir>/console-users.json` if present ([{"user","name","roles":[…]}]), else the defaults
 * below, one per role.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ROLES } from '../../functions/domain/roles.js';
import type { Identity } from '../../functions/operator/router.js';

export interface ConsoleUser {
  user: string;
  name: string;
  roles: string[];
}

export const DEFAULT_CONSOLE_USERS: ConsoleUser[] = [
  { user: 'anna', name: 'Анна Петрова', roles: ['clerk'] },
  { user: 'lev', name: 'Лев Юрьев', roles: ['legal'] },
  { user: 'olga', name: 'Ольга Сергеева', roles: ['head_of_sales'] },
  { user: 'fedor', name: 'Фёдор Иванов', roles: ['finance'] },
  { user: 'admin', name: 'Admin', roles: ['admin'] },
];

const zUsers = z.array(z.object({ user: z.string().regex(/^[a-z0-9._-]{1,40}$/), name: z.string().trim().min(1).max(100), roles: z.array(z.enum(ROLES)).max(5) })).min(1);

export async function loadConsoleUsers(dataDir: string): Promise<ConsoleUser[]> {
  const file = path.join(dataDir, 'console-users.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return DEFAULT_CONSOLE_USERS;
  }
  const r = zUsers.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

export interface LocalAuth {
  users: ConsoleUser[];
  /** A session for a configured user (`ttlSeconds` overrides the lifetime: tests make expired ones). */
  signIn(user: string, ttlSeconds?: number): { token: string; by: string; roles: string[]; expiresAt: string } | undefined;
  /** The identity of a bearer token; 'expired' or 'invalid' otherwise. */
  verify(token: string): Identity | 'expired' | 'invalid';
}

export function createLocalAuth(opts: { users: ConsoleUser[]; ttlSeconds?: number; now?: () => number }): LocalAuth {
  const key = randomBytes(32);
  const now = opts.now ?? Date.now;
  const ttl = (opts.ttlSeconds ?? 8 * 3600) * 1000;
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    users: opts.users,
    signIn(user, ttlSeconds) {
      const u = opts.users.find((x) => x.user === user);
      if (!u) return undefined;
      const exp = now() + (ttlSeconds === undefined ? ttl : ttlSeconds * 1000);
      const payload = Buffer.from(JSON.stringify({ sub: u.user, exp })).toString('base64url');
      return { token: `${payload}.${mac(payload)}`, by: u.name, roles: u.roles, expiresAt: new Date(exp).toISOString() };
    },
    verify(token) {
      const [payload, sig] = token.split('.');
      if (!payload || !sig) return 'invalid';
      const want = Buffer.from(mac(payload));
      const got = Buffer.from(sig);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
      let claims: { sub?: string; exp?: number };
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return 'invalid';
      }
      if (typeof claims.exp !== 'number' || claims.exp <= now()) return 'expired';
      const u = opts.users.find((x) => x.user === claims.sub);
      if (!u) return 'invalid';
      return { by: u.name, roles: u.roles, subject: `console-local:${u.user}` };
    },
  };
}
