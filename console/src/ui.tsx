/** Shared pieces of the console: routing, data loading, errors, form fields with their API errors, role-aware buttons. */
import { createContext, type ComponentChildren } from 'preact';
import type { MeView } from '../../functions/ports/console.js';
import { useCallback, useContext, useEffect, useErrorBoundary, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError } from './api.js';
import { t, type Key } from './i18n.js';

// ------------------------------------------------------------------------------------- routing
type RouteListener = () => void;
const routeListeners = new Set<RouteListener>();
export function navigate(to: string): void {
  history.pushState(null, '', to);
  routeListeners.forEach((l) => l());
  window.scrollTo(0, 0);
}
window.addEventListener('popstate', () => routeListeners.forEach((l) => l()));
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const l = () => setPath(location.pathname);
    routeListeners.add(l);
    return () => void routeListeners.delete(l);
  }, []);
  return path;
}
export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

// ------------------------------------------------------------------------------------- loading
export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
  /** Milliseconds from the request to the data (shown on the page, read by the browser test). */
  ms?: number;
}
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fn().then(
      (data) => live && setState({ data, loading: false, ms: Math.round(performance.now() - t0) }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: useCallback(() => setTick((n) => n + 1), []) };
}

export function ErrorBox(props: { error: unknown; onRetry?: () => void }) {
  const e = props.error;
  const msg = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  const code = e instanceof ApiError && e.status ? ` (${e.status}${e.code ? ` ${e.code}` : ''})` : '';
  return (
    <div class="error" role="alert">
      <strong>{t('apiError')}:</strong> {msg}
      {code}
      {props.onRetry ? (
        <button type="button" class="link" onClick={props.onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Page<T>(props: { title: string; loaded: Loaded<T>; testid?: string; children: (d: T) => ComponentChildren }) {
  const { loaded } = props;
  // A rendering fault (e.g. an answer of an unexpected shape) shows a message, never a blank page.
  const [fault, resetFault] = useErrorBoundary();
  useEffect(() => {
    document.title = `${props.title} · claimflow`;
  }, [props.title]);
  return (
    <section data-testid={props.testid} data-load-ms={loaded.ms}>
      <h1>{props.title}</h1>
      {loaded.error ? <ErrorBox error={loaded.error} onRetry={loaded.reload} /> : null}
      {loaded.loading && !loaded.data ? <p aria-busy="true">{t('loading')}</p> : null}
      {fault ? (
        <ErrorBox
          error={fault}
          onRetry={() => {
            resetFault();
            loaded.reload();
          }}
        />
      ) : loaded.data !== undefined ? (
        props.children(loaded.data)
      ) : null}
    </section>
  );
}

// ------------------------------------------------------------------------------------ identity
/** GET /operator/me (one definition: functions/ports/console.ts). */
export type Me = MeView;
export const MeContext = createContext<Me | undefined>(undefined);
/** Parts of the operator API this endpoint has (credit control is optional). */
export const FeaturesContext = createContext<{ credit: boolean }>({ credit: false });
export const ROLE_OF_ACTION: Record<string, string> = {
  'run.start': 'clerk, admin',
  'letter.resolve': 'clerk, admin',
  pause: 'clerk, head_of_sales, admin',
  'bank.import': 'clerk, finance, admin',
  'review.resolve': 'clerk, finance, admin',
  'period.close': 'finance, admin',
  'case.decide': 'legal',
  'case.strategy': 'legal, head_of_sales, admin',
  'case.package': 'legal, admin',
};
/** Whether the signed-in user may take the action, and the hint when not. */
export function useMay(action: string): { may: boolean; hint?: string } {
  const me = useContext(MeContext);
  const may = !!me?.permissions[action];
  return may ? { may } : { may, hint: `${t('needsRole')}: ${ROLE_OF_ACTION[action] ?? action}` };
}

// --------------------------------------------------------------------------------------- forms
export interface FormState<V> {
  values: V;
  set: <K extends keyof V>(k: K, v: V[K]) => void;
  errors: Record<string, string>;
  error?: unknown;
  busy: boolean;
  done?: string;
  submit: (fn: (v: V) => Promise<string | void>, check?: (v: V) => FieldError[]) => (e: Event) => Promise<void>;
}
export function useForm<V extends Record<string, unknown>>(initial: V): FormState<V> {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const set = useCallback(<K extends keyof V>(k: K, v: V[K]) => setValues((s) => ({ ...s, [k]: v })), []);
  const submit = (fn: (v: V) => Promise<string | void>, check?: (v: V) => FieldError[]) => async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    const local = check?.(values) ?? [];
    if (local.length) {
      setErrors(Object.fromEntries(local.map((f) => [f.field, f.message])));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const msg = await fn(values);
      setDone(msg || t('done'));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setErrors(Object.fromEntries(err.fields.map((f) => [f.field, f.message])));
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { values, set, errors, error, busy, ...(done ? { done } : {}), submit };
}

let ids = 0;
export function Field(props: {
  label: string;
  name: string;
  form: FormState<any>;
  type?: string;
  errorKeys?: string[];
  errorPrefix?: string;
  required?: boolean;
  multiline?: boolean;
  options?: [string, string][];
  placeholder?: string;
}) {
  const id = useRef(`f${++ids}`).current;
  const prefixed = props.errorPrefix ? Object.entries(props.form.errors).find(([k]) => k.startsWith(props.errorPrefix!)) : undefined;
  const err = [props.name, ...(props.errorKeys ?? [])].map((k) => props.form.errors[k]).find(Boolean) ?? (prefixed ? `${prefixed[0]}: ${prefixed[1]}` : undefined);
  const value = (props.form.values[props.name] ?? '') as string;
  const common = {
    id,
    name: props.name,
    'aria-invalid': err ? ('true' as const) : undefined,
    'aria-describedby': err ? `${id}-err` : undefined,
    required: props.required,
  };
  return (
    <div class={`field${err ? ' invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.options ? (
        <select {...common} value={value} onChange={(e) => props.form.set(props.name, (e.target as HTMLSelectElement).value)}>
          {props.options.map(([v, l]) => (
            <option value={v}>{l}</option>
          ))}
        </select>
      ) : props.multiline ? (
        <textarea {...common} rows={3} value={value} placeholder={props.placeholder} onInput={(e) => props.form.set(props.name, (e.target as HTMLTextAreaElement).value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={value}
          placeholder={props.placeholder}
          onInput={(e) => props.form.set(props.name, (e.target as HTMLInputElement).value)}
        />
      )}
      {err ? (
        <span class="field-error" id={`${id}-err`} role="alert">
          {err}
        </span>
      ) : null}
    </div>
  );
}

export function Submit(props: { form: FormState<any>; label: string; action?: string; danger?: boolean }) {
  const { may, hint } = useMay(props.action ?? '');
  const allowed = !props.action || may;
  return (
    <div class="actions">
      <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={!allowed || props.form.busy} title={allowed ? undefined : hint} aria-describedby={undefined}>
        {props.label}
      </button>
      {!allowed ? <span class="hint">{hint}</span> : null}
      {props.form.done && !props.form.error ? (
        <span class="ok" role="status">
          ✓ {props.form.done}
        </span>
      ) : null}
      {props.form.error ? <ErrorBox error={props.form.error} /> : null}
    </div>
  );
}

// ----------------------------------------------------------------------------------- validation
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const AMOUNT = /^\d{1,15}(\.\d{1,2})?$/;
export function checks(rules: [field: string, ok: boolean, msg: Key][]): FieldError[] {
  return rules.filter(([, ok]) => !ok).map(([field, , msg]) => ({ field, message: t(msg) }));
}
export const today = () => new Date().toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);

export function Table(props: { head: ComponentChildren[]; rows: ComponentChildren[][]; caption?: string; num?: number[]; testid?: string }) {
  if (!props.rows.length) return <p class="muted">{t('noItems')}</p>;
  return (
    // Focusable so a keyboard can scroll a wide table (axe: scrollable-region-focusable).
    <div
      class="table-wrap"
      tabIndex={0}
      role="region"
      aria-label={
        props.caption ??
        props.head
          .filter((h) => typeof h === 'string')
          .slice(0, 3)
          .join(', ')
      }
    >
      <table data-testid={props.testid}>
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.head.map((h, i) => (
              <th scope="col" class={props.num?.includes(i) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              {r.map((c, i) => (
                <td class={props.num?.includes(i) ? 'num' : undefined}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A search box with its label and button; submitting hands over the trimmed text. */
export function SearchForm(props: { id: string; value: string; onInput: (v: string) => void; onSearch: (q: string) => void }) {
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(props.value.trim());
      }}
    >
      <label for={props.id}>{t('search')}</label>
      <input id={props.id} type="search" value={props.value} placeholder={t('searchHint')} onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
      <button type="submit" class="primary">
        {t('search')}
      </button>
    </form>
  );
}
