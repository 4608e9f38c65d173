/**
 * Sign-in. Locally (config.json {"auth":"local"}): pick a configured user; the local stack returns a
 * signed session token. In AWS ({"auth":"cognito", …}): the Cognito hosted sign-in with the
 * authorization-code flow and PKCE; the ID token (its "cognito:groups" are the roles) is the bearer
 * token the JWT authorizer checks, renewed with the refresh token when it expires.
 *
 * An expired session never reloads the page: the API client asks `reauthenticate()`, which shows the
 * sign-in dialog over the page (forms keep what was typed) and retries the request afterwards.
 */
export interface Config {
  auth: 'local' | 'cognito';
  /** Prefix of the operator API ('' locally; the console API URL in AWS). */
  apiBase: string;
  cognito?: { domain: string; clientId: string; redirectUri: string };
}

export interface Session {
  token: string;
  by: string;
  roles: string[];
  refreshToken?: string;
}

const KEY = 'claimflow.session';
let config: Config = { auth: 'local', apiBase: '' };
/** The session lives in sessionStorage only (per tab; read on every request, so there is one truth). */
function stored(): Session | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
export const onAuthChange = (l: Listener) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const changed = () => listeners.forEach((l) => l());

export const getConfig = () => config;
export const getSession = (): Session | undefined => stored();

export function setSession(s: Session | undefined): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  changed();
}

export async function loadConfig(): Promise<Config> {
  const r = await fetch('/config.json', { cache: 'no-store' });
  if (r.ok) config = (await r.json()) as Config;
  return config;
}

/** Whether the sign-in dialog is open because a session ran out (vs. the first sign-in). */
let expired = false;
let waiting: (() => void)[] = [];
export const isExpired = () => expired;

/** Called by the API client on 401: resolves once the user has signed in again. */
export async function reauthenticate(): Promise<void> {
  if (config.auth === 'cognito' && stored()?.refreshToken && (await refreshCognito())) return;
  expired = true;
  setSession(undefined);
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function signedIn(s: Session): void {
  expired = false;
  setSession(s);
  const w = waiting;
  waiting = [];
  w.forEach((f) => f());
}

export async function localUsers(): Promise<{ user: string; name: string; roles: string[] }[]> {
  const r = await fetch('/auth/users');
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return ((await r.json()) as { users: { user: string; name: string; roles: string[] }[] }).users;
}

export async function signInLocal(user: string): Promise<void> {
  const r = await fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  const body = (await r.json()) as { token?: string; by?: string; roles?: string[]; error?: { message: string } };
  if (!r.ok || !body.token) throw new Error(body.error?.message ?? `HTTP ${r.status}`);
  signedIn({ token: body.token, by: body.by ?? user, roles: body.roles ?? [] });
}

export function signOut(): void {
  setSession(undefined);
  if (config.auth === 'cognito' && config.cognito) {
    const c = config.cognito;
    location.assign(`${c.domain}/logout?client_id=${encodeURIComponent(c.clientId)}&logout_uri=${encodeURIComponent(new URL('/', c.redirectUri).href)}`);
  }
}

// ------------------------------------------------------------------------------- Cognito (PKCE)
const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export async function signInCognito(): Promise<void> {
  const c = config.cognito!;
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('claimflow.pkce', JSON.stringify({ verifier, state, back: location.pathname + location.search }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${c.domain}/oauth2/authorize?${q}`);
}

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
const sessionOf = (idToken: string, refreshToken?: string): Session => {
  const c = claimsOf(idToken);
  const groups = (c['cognito:groups'] as string[] | undefined) ?? [];
  return { token: idToken, by: String(c.email ?? c['cognito:username'] ?? c.sub), roles: groups, ...(refreshToken ? { refreshToken } : {}) };
};

/** Handles /auth/callback after the hosted sign-in; returns the path to go back to. */
export async function completeCognito(): Promise<string | undefined> {
  const q = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('claimflow.pkce') ?? 'null') as { verifier: string; state: string; back: string } | null;
  if (!q.get('code') || !saved || q.get('state') !== saved.state) return undefined;
  const c = config.cognito!;
  const r = await fetch(`${c.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: c.clientId, code: q.get('code')!, redirect_uri: c.redirectUri, code_verifier: saved.verifier }),
  });
  if (!r.ok) throw new Error(`sign-in failed: HTTP ${r.status}`);
  const tokens = (await r.json()) as { id_token: string; refresh_token?: string };
  sessionStorage.removeItem('claimflow.pkce');
  signedIn(sessionOf(tokens.id_token, tokens.refresh_token));
  return saved.back || '/';
}

async function refreshCognito(): Promise<boolean> {
  const c = config.cognito!;
  const session = stored();
  try {
    const r = await fetch(`${c.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: c.clientId, refresh_token: session!.refreshToken! }),
    });
    if (!r.ok) return false;
    const tokens = (await r.json()) as { id_token: string };
    signedIn(sessionOf(tokens.id_token, session!.refreshToken));
    return true;
  } catch {
    return false;
  }
}
