/**
 * The operator API client: bearer token of the signed-in user, JSON in and out, field errors kept as
 * data (forms show them beside the fields), a 401 re-opens the sign-in dialog and retries, network
 * failures become a clear message. Downloads fetch the bytes with the same token and save them.
 */
import { getConfig, getSession, reauthenticate } from './auth.js';
import { t } from './i18n.js';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

async function raw(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const s = getSession();
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${getConfig().apiBase}/operator/${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, t('networkError'), 'NETWORK');
  }
  if (res.status === 401 && !retried) {
    await reauthenticate();
    return raw(method, path, body, true);
  }
  if (!res.ok) {
    let e: { code?: string; message?: string; fields?: FieldError[] } | undefined;
    try {
      e = ((await res.json()) as { error?: typeof e }).error;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, e?.message ?? `HTTP ${res.status}`, e?.code, e?.fields ?? []);
  }
  return res;
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await raw(method, path, body);
  return (await res.json()) as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body: unknown) => api<T>('POST', path, body);

/** Fetches a document and saves it under its file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await raw('GET', path);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const enc = encodeURIComponent;
