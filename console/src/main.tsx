/**
 * The claimflow web console: sign-in, navigation, language, and the pages. Every read and action goes
 * through the operator API with the signed-in user's token; the API checks roles and audits.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { get } from './api.js';
import { completeCognito, getConfig, getSession, isExpired, loadConfig, localUsers, onAuthChange, signInCognito, signInLocal, signOut } from './auth.js';
import { getLang, setLang, t, type Lang } from './i18n.js';
import { ErrorBox, FeaturesContext, Link, MeContext, navigate, usePath, type Me } from './ui.js';
import { RunsPage } from './pages/runs.js';
import { ExecutionPage, RunPage } from './pages/run.js';
import { CustomersPage } from './pages/customers.js';
import { CustomerPage } from './pages/customer.js';
import { ReviewPage } from './pages/review.js';
import { CasePage, CasesPage } from './pages/cases.js';
import { CalculatorPage } from './pages/calculator.js';
import { ReportsPage } from './pages/reports.js';
import { CreditPage } from './pages/credit.js';

const NAV: [string, () => string][] = [
  ['/runs', () => t('runs')],
  ['/customers', () => t('customers')],
  ['/review', () => t('review')],
  ['/cases', () => t('cases')],
  ['/credit', () => t('creditControl')],
  ['/reports', () => t('reports')],
  ['/calculator', () => t('calculator')],
];

function route(path: string) {
  const m = (re: RegExp) => re.exec(path);
  let x: RegExpExecArray | null;
  if ((x = m(/^\/runs\/(\d{4}-\d{2}-\d{2})\/?$/))) return <RunPage runDate={x[1]!} />;
  if ((x = m(/^\/executions\/([^/]+)\/?$/))) return <ExecutionPage name={decodeURIComponent(x[1]!)} />;
  if ((x = m(/^\/customers\/([^/]+)\/?$/))) return <CustomerPage id={decodeURIComponent(x[1]!)} />;
  if (m(/^\/customers\/?$/)) return <CustomersPage />;
  if (m(/^\/review\/?$/)) return <ReviewPage />;
  if ((x = m(/^\/cases\/([^/]+)\/?$/))) return <CasePage id={decodeURIComponent(x[1]!)} />;
  if (m(/^\/cases\/?$/)) return <CasesPage />;
  if (m(/^\/calculator\/?$/)) return <CalculatorPage />;
  if (m(/^\/reports\/?$/)) return <ReportsPage />;
  if (m(/^\/credit\/?$/)) return <CreditPage />;
  return <RunsPage />;
}

function SignIn(props: { overlay: boolean }) {
  const [users, setUsers] = useState<{ user: string; name: string; roles: string[] }[]>();
  const [error, setError] = useState<unknown>();
  const cognito = getConfig().auth === 'cognito';
  useEffect(() => {
    if (!cognito) localUsers().then(setUsers, setError);
  }, []);
  const body = (
    <div class="signin card" role={props.overlay ? 'dialog' : undefined} aria-modal={props.overlay ? 'true' : undefined} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInTitle')}</h1>
      {props.overlay ? (
        <p class="warn" role="alert">
          {t('sessionExpired')}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
      {cognito ? (
        <button type="button" class="primary" onClick={() => signInCognito()}>
          {t('signIn')}
        </button>
      ) : (
        <ul class="users">
          {(users ?? []).map((u) => (
            <li>
              <button type="button" class="primary" data-user={u.user} onClick={() => signInLocal(u.user).catch(setError)}>
                {t('signInAs')} {u.name}
              </button>{' '}
              <span class="muted">{u.roles.join(', ') || t('noRole')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return props.overlay ? <div class="overlay">{body}</div> : <main id="main">{body}</main>;
}

function LangSwitch(props: { onChange: () => void }) {
  return (
    <label class="lang">
      <span class="sr-only">{t('language')}</span>
      <select
        value={getLang()}
        aria-label={t('language')}
        onChange={(e) => {
          setLang((e.target as HTMLSelectElement).value as Lang);
          props.onChange();
        }}
      >
        <option value="ru">Русский</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function App() {
  const path = usePath();
  const [, setTick] = useState(0);
  const [langKey, setLangKey] = useState(0);
  const [me, setMe] = useState<Me>();
  const [features, setFeatures] = useState({ credit: false });
  const session = getSession();
  useEffect(() => onAuthChange(() => setTick((n) => n + 1)), []);
  useEffect(() => {
    if (session) get<Me>('me').then(setMe, () => undefined);
  }, [session?.token]);
  useEffect(() => {
    // Credit control is optional: its page and the card's credit status appear when its routes answer.
    if (session)
      get('credit/overrides?status=active').then(
        () => setFeatures({ credit: true }),
        () => setFeatures({ credit: false }),
      );
  }, [!!session]);
  if (path === '/auth/callback') return <p>{t('loading')}</p>;
  // Session ran out while working: the page stays mounted (typed input kept) under the sign-in dialog.
  const expiredOverlay = !session && isExpired();
  if (!session && !expiredOverlay) return <SignIn overlay={false} />;
  const current = me ?? (session ? { by: session.by, roles: session.roles, permissions: {} } : undefined);
  return (
    <MeContext.Provider value={me}>
      <FeaturesContext.Provider value={features}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <nav aria-label="claimflow">
            <strong class="brand">claimflow</strong>
            {NAV.filter(([href]) => href !== '/credit' || features.credit).map(([href, label]) => (
              <Link href={href} class="nav" aria-current={path.startsWith(href) || (href === '/runs' && path === '/') ? 'page' : undefined}>
                {label()}
              </Link>
            ))}
          </nav>
          <div class="who">
            <LangSwitch onChange={() => setLangKey((n) => n + 1)} />
            <span data-testid="who">
              {current?.by} <span class="muted">({current?.roles.join(', ') || t('noRole')})</span>
            </span>
            <button type="button" class="link" onClick={() => signOut()}>
              {t('signOut')}
            </button>
          </div>
        </header>
        <main id="main" key={langKey}>
          {route(path)}
        </main>
        {expiredOverlay ? <SignIn overlay /> : null}
      </FeaturesContext.Provider>
    </MeContext.Provider>
  );
}

async function start() {
  const root = document.getElementById('app')!;
  try {
    await loadConfig();
    if (location.pathname === '/auth/callback') navigate((await completeCognito()) ?? '/');
  } catch (err) {
    render(<ErrorBox error={err} />, root);
    return;
  }
  render(<App />, root);
}
void start();
