/**
 * Credit control (operator API /operator/credit/…): overrides granted and expiring, a customer's
 * credit status with its hold reasons as data, and grant / revoke of overrides (head_of_sales; the API
 * refuses anyone else with 403).
 */
import { useContext, useState } from 'preact/hooks';
import { enc, get, post } from '../api.js';
import { fmtInstant, fmtMoney, t } from '../i18n.js';
import { AMOUNT, checks, ErrorBox, Field, Link, MeContext, Page, Table, useForm, useLoad } from '../ui.js';

type M = { amount: string; currency: string };
interface Override {
  overrideId: string;
  customerId: string;
  scope: string;
  orderId?: string;
  maxAmount: M;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  expiresAt: string;
  status: string;
  revokedBy?: string;
}
export interface CreditStatus {
  customerId: string;
  legalName?: string;
  state: string;
  reasons: { code: string; value: string | null; threshold: string | null; currency?: string; documents: string[] }[];
  /** Per currency: open invoices + reservations − unapplied credit. */
  exposure?: Record<string, { invoices: string; reservations: string; unappliedCredit: string; total: string }>;
  headroom?: string | null;
  riskCategory?: string;
  overrides: Override[];
  policyVersion?: string;
}

/** Grant and revoke are head_of_sales only (the credit routes check it; the console disables them for others). */
function useHeadOfSales(): { may: boolean; hint?: string } {
  const me = useContext(MeContext);
  const may = !!me?.roles.includes('head_of_sales');
  return may ? { may } : { may, hint: `${t('needsRole')}: head_of_sales` };
}

export function CreditPage() {
  const [status, setStatus] = useState('active');
  const overrides = useLoad(() => get<{ overrides: Override[] }>(`credit/overrides${status ? `?status=${status}` : ''}`), [status]);
  const [customer, setCustomer] = useState(new URLSearchParams(location.search).get('customer') ?? '');
  const [shown, setShown] = useState(customer);
  return (
    <Page title={t('creditControl')} loaded={overrides} testid="credit-page">
      {(d) => (
        <>
          <form
            class="search"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setShown(customer.trim());
            }}
          >
            <label for="credit-customer">{t('customerId')}</label>
            <input id="credit-customer" value={customer} onInput={(e) => setCustomer((e.target as HTMLInputElement).value)} />
            <button type="submit" class="primary">
              {t('open')}
            </button>
          </form>
          {shown ? <CreditCustomer id={shown} onChange={overrides.reload} /> : null}
          <h2>{t('overrides')}</h2>
          <div class="filters" role="group" aria-label={t('status')}>
            {['active', 'expired', 'revoked', ''].map((s) => (
              <button type="button" class={status === s ? 'chip on' : 'chip'} aria-pressed={status === s} onClick={() => setStatus(s)}>
                {s || t('all')}
              </button>
            ))}
          </div>
          <OverridesTable overrides={d.overrides} onChange={overrides.reload} />
        </>
      )}
    </Page>
  );
}

function OverridesTable(props: { overrides: Override[]; onChange: () => void }) {
  return (
    <Table
      testid="credit-overrides"
      head={[t('customer'), t('scope'), t('amount'), t('reason'), t('by'), t('expires'), t('status'), '']}
      rows={props.overrides.map((o) => [
        <Link href={`/credit?customer=${enc(o.customerId)}`}>{o.customerId}</Link>,
        o.scope === 'order' ? `${t('order')} ${o.orderId ?? ''}` : t('wholeCustomer'),
        fmtMoney(o.maxAmount.amount, o.maxAmount.currency),
        o.reason,
        `${o.grantedBy}, ${fmtInstant(o.grantedAt)}`,
        fmtInstant(o.expiresAt),
        o.status,
        o.status === 'active' ? <Revoke o={o} onDone={props.onChange} /> : (o.revokedBy ?? ''),
      ])}
    />
  );
}

function Revoke(props: { o: Override; onDone: () => void }) {
  const form = useForm({ reason: '' });
  const { may, hint } = useHeadOfSales();
  return (
    <form
      class="inline"
      onSubmit={form.submit(
        async (v) => {
          await post(`credit/customers/${enc(props.o.customerId)}/overrides/${enc(props.o.overrideId)}/revoke`, v);
          props.onDone();
        },
        (v) => checks([['reason', !!v.reason.trim(), 'fieldRequired']]),
      )}
    >
      <Field label={t('reason')} name="reason" form={form} required />
      <div class="actions">
        <button type="submit" disabled={!may || form.busy} title={hint}>
          {t('revoke')}
        </button>
        {!may ? <span class="hint">{hint}</span> : null}
        {form.error ? <ErrorBox error={form.error} /> : null}
      </div>
    </form>
  );
}

/** A customer's credit status: state, reasons as data, exposure, overrides; grant an override. */
export function CreditCustomer(props: { id: string; onChange?: () => void; compact?: boolean }) {
  const loaded = useLoad(() => get<CreditStatus>(`credit/customers/${enc(props.id)}`), [props.id]);
  if (loaded.error) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const s = loaded.data;
  if (!s) return <p aria-busy="true">{t('loading')}</p>;
  return (
    <section class="card" data-testid="credit-status">
      <h2>
        {t('creditStatus')}: <span class={`status ${/hold|held|stop/i.test(s.state) ? 'failed' : 'sent'}`}>{s.state}</span>
        {s.riskCategory ? ` · ${t('riskCategory')} ${s.riskCategory}` : ''}
      </h2>
      <Table
        testid="credit-reasons"
        head={[t('reasonCode'), t('value'), t('threshold'), t('invoices')]}
        rows={(s.reasons ?? []).map((r) => [
          r.code,
          r.value === null ? '—' : r.currency ? fmtMoney(r.value, r.currency) : r.value,
          r.threshold === null ? '—' : r.currency ? fmtMoney(r.threshold, r.currency) : r.threshold,
          r.documents.join(', '),
        ])}
      />
      {s.exposure ? (
        <Table
          head={[t('exposure'), t('invoices'), t('reservations'), t('unappliedCredit'), t('total')]}
          num={[1, 2, 3, 4]}
          rows={Object.entries(s.exposure).map(([cur, e]) => [
            cur,
            fmtMoney(e.invoices, cur),
            fmtMoney(e.reservations, cur),
            fmtMoney(e.unappliedCredit, cur),
            fmtMoney(e.total, cur),
          ])}
        />
      ) : null}
      {props.compact ? (
        <Link href={`/credit?customer=${enc(s.customerId)}`}>{t('creditControl')} →</Link>
      ) : (
        <>
          <OverridesTable
            overrides={s.overrides ?? []}
            onChange={() => {
              loaded.reload();
              props.onChange?.();
            }}
          />
          <Grant
            id={s.customerId}
            onDone={() => {
              loaded.reload();
              props.onChange?.();
            }}
          />
        </>
      )}
    </section>
  );
}

function Grant(props: { id: string; onDone: () => void }) {
  const form = useForm({ scope: 'customer', orderId: '', maxAmount: '', currency: 'RUB', hours: '48', reason: '' });
  const { may, hint } = useHeadOfSales();
  return (
    <form
      class="card"
      data-testid="grant-override"
      onSubmit={form.submit(
        async (v) => {
          await post(`credit/customers/${enc(props.id)}/overrides`, {
            scope: v.scope,
            ...(v.scope === 'order' ? { orderId: v.orderId.trim() } : {}),
            maxAmount: v.maxAmount,
            currency: v.currency,
            hours: Number(v.hours),
            reason: v.reason,
          });
          props.onDone();
        },
        (v) =>
          checks([
            ['orderId', v.scope !== 'order' || !!v.orderId.trim(), 'fieldRequired'],
            ['maxAmount', AMOUNT.test(v.maxAmount), 'fieldAmount'],
            ['hours', Number(v.hours) > 0, 'fieldRequired'],
            ['reason', !!v.reason.trim(), 'fieldRequired'],
          ]),
      )}
    >
      <h3>{t('grantOverride')}</h3>
      <div class="row">
        <Field
          label={t('scope')}
          name="scope"
          form={form}
          options={[
            ['customer', t('wholeCustomer')],
            ['order', t('order')],
          ]}
        />
        {form.values.scope === 'order' ? <Field label={t('order')} name="orderId" form={form} required /> : null}
        <Field label={t('amount')} name="maxAmount" form={form} required />
        <Field label={t('hours')} name="hours" type="number" form={form} required />
        <Field label={t('reason')} name="reason" form={form} required />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={!may || form.busy} title={hint}>
          {t('grantOverride')}
        </button>
        {!may ? <span class="hint">{hint}</span> : null}
        {form.done && !form.error ? (
          <span class="ok" role="status">
            ✓ {form.done}
          </span>
        ) : null}
        {form.error ? <ErrorBox error={form.error} /> : null}
      </div>
    </form>
  );
}
