/**
 * The customer card: balances, penalty to date with its periods, invoices with stage history and
 * allocations, ledger entries, letters, pauses / promises / schedules with add and end actions, the
 * reconciliation statement as PDF for a chosen period, and the open claim case.
 */
import { useContext, useState } from 'preact/hooks';
import type { CustomerCard } from '../../../functions/ports/console.js';
import { CreditCustomer } from './credit.js';
import { download, enc, get, post } from '../api.js';
import { fmtDate, fmtInstant, fmtMoney, fmtPct, t, tx } from '../i18n.js';
import { addDays, AMOUNT, checks, DATE, FeaturesContext, Field, Link, Page, Submit, Table, today, useForm, useLoad } from '../ui.js';

type Card = CustomerCard;

const sum = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([c, a]) => fmtMoney(a, c))
    .join(', ') || fmtMoney('0');

export function CustomerPage(props: { id: string }) {
  const loaded = useLoad(() => get<Card>(`customers/${enc(props.id)}/card`), [props.id]);
  const features = useContext(FeaturesContext);
  return (
    <Page title={loaded.data?.profile.legalName ?? props.id} loaded={loaded} testid="customer-page">
      {(c) => {
        const open = c.invoices.filter((i) => i.status === 'open');
        return (
          <>
            <dl class="facts">
              <dt>ID</dt>
              <dd>{c.customerId}</dd>
              <dt>{t('inn')}</dt>
              <dd>{c.profile.taxId ?? '—'}</dd>
              <dt>{t('contacts')}</dt>
              <dd>{(c.profile.emails ?? []).join(', ') || '—'}</dd>
              <dt>{t('segment')}</dt>
              <dd>{c.profile.segment ?? '—'}</dd>
              <dt>{t('receivable')}</dt>
              <dd data-testid="receivable">{sum(c.receivable)}</dd>
              <dt>{t('overdue')}</dt>
              <dd>{sum(c.overdue)}</dd>
              <dt>{t('unappliedCredit')}</dt>
              <dd>{sum(c.unappliedCredit)}</dd>
              <dt>{t('penaltyToDate')}</dt>
              <dd>{c.penalty ? `${fmtMoney(c.penalty.total, c.penalty.currency)} (${fmtDate(c.asOf)})` : '—'}</dd>
              {c.openCaseId ? (
                <>
                  <dt>{t('claimCase')}</dt>
                  <dd>
                    <Link href={`/cases/${enc(c.openCaseId)}`}>{c.openCaseId}</Link>
                  </dd>
                </>
              ) : null}
            </dl>

            {features.credit ? <CreditCustomer id={c.customerId} compact /> : null}

            <h2>{t('invoices')}</h2>
            <Table
              testid="card-invoices"
              head={[t('invoice'), t('issued'), t('due'), t('amount'), t('outstanding'), t('status'), t('daysOverdue'), t('stageHistory'), t('allocations')]}
              num={[3, 4, 6]}
              rows={c.invoices.map((i) => [
                i.number,
                fmtDate(i.issueDate),
                fmtDate(i.dueDate),
                fmtMoney(i.amount.amount, i.amount.currency),
                fmtMoney(i.outstanding.amount, i.outstanding.currency),
                tx('status', i.status),
                i.daysOverdue ? String(i.daysOverdue) : '—',
                i.stages.map((s) => `${tx('stage', s.stage)} ${fmtDate(s.runDate)}`).join('; ') || '—',
                i.allocations.map((a) => `${fmtDate(a.date)}: ${fmtMoney(a.amount.amount, a.amount.currency)}${a.undoneBy ? ' ✗' : ''}`).join('; ') || '—',
              ])}
            />

            {c.penalty ? (
              <>
                <h2>
                  {t('penaltyToDate')} {fmtDate(c.asOf)}: {fmtMoney(c.penalty.total, c.penalty.currency)}
                </h2>
                {c.penalty.parts.map((p) => (
                  <Table
                    caption={`${t('basis')}: ${p.basis}`}
                    head={[t('from'), t('to'), t('days'), t('base'), t('rate'), t('fraction'), t('amount')]}
                    num={[2, 3, 4, 6]}
                    rows={p.periods.map((x) => [
                      fmtDate(x.from),
                      fmtDate(x.to),
                      String(x.days),
                      fmtMoney(x.base, c.penalty!.currency),
                      fmtPct(x.rate),
                      x.fraction,
                      fmtMoney(x.amount, c.penalty!.currency),
                    ])}
                  />
                ))}
              </>
            ) : null}

            <h2>{t('pauses')}</h2>
            <Table
              testid="card-pauses"
              head={[t('kind'), t('invoice'), t('until'), t('amount'), t('reason'), t('by'), t('status')]}
              rows={c.pauses.map((p) => [
                p.kind,
                p.invoiceId ? (c.invoices.find((i) => i.invoiceId === p.invoiceId)?.number ?? p.invoiceId) : t('wholeCustomer'),
                fmtDate(p.until),
                p.amount ? fmtMoney(p.amount.amount, p.amount.currency) : '—',
                p.reason,
                `${p.by}, ${fmtInstant(p.at)}`,
                p.resolved ? `${t('ended')}: ${p.resolved.by}` : <EndPause customerId={c.customerId} pauseId={p.pauseId.replace(/\.\d+$/, '')} onDone={loaded.reload} />,
              ])}
            />
            <div class="cols">
              <AddPause c={c} open={open} onDone={loaded.reload} />
              <AddPromise c={c} open={open} onDone={loaded.reload} />
              <AddSchedule c={c} onDone={loaded.reload} />
            </div>

            <h2>{t('letters')}</h2>
            <Table
              testid="card-letters"
              head={[t('runDate'), t('stage'), t('status'), t('channels'), t('amount'), t('pdf')]}
              rows={c.letters.map((l) => [
                <Link href={`/runs/${l.runDate}`}>{fmtDate(l.runDate)}</Link>,
                tx('stage', l.stage),
                tx('status', l.status),
                (l.channels ?? []).join(' + '),
                (l.total ?? []).map((m) => fmtMoney(m.amount, m.currency)).join(', '),
                l.documentKey ? (
                  <button type="button" class="link" onClick={() => download(`documents?key=${enc(l.documentKey!)}`, `${l.stage}.pdf`)}>
                    {t('download')}
                  </button>
                ) : (
                  '—'
                ),
              ])}
            />

            <Reconciliation customerId={c.customerId} asOf={c.asOf} />

            <h2>{t('ledger')}</h2>
            <Table
              testid="card-ledger"
              head={[t('date'), t('entry'), t('amount'), t('debit'), t('credit'), t('allocations')]}
              num={[2, 3, 4]}
              rows={c.entries.map((e) => [
                fmtDate(e.date),
                `${e.type}${e.number ? ` ${e.number}` : ''}`,
                e.amount ? fmtMoney(e.amount.amount, e.amount.currency) : '—',
                e.debit && e.debit !== '0.00' ? fmtMoney(e.debit) : '',
                e.credit && e.credit !== '0.00' ? fmtMoney(e.credit) : '',
                e.allocations
                  .map((a) => `${c.invoices.find((i) => i.invoiceId === a.targetId)?.number ?? a.targetId}: ${fmtMoney(a.amount.amount, a.amount.currency)}${a.undone ? ' ✗' : ''}`)
                  .join('; '),
              ])}
            />
          </>
        );
      }}
    </Page>
  );
}

function EndPause(props: { customerId: string; pauseId: string; onDone: () => void }) {
  const form = useForm({ reason: '' });
  const [openForm, setOpen] = useState(false);
  if (!openForm)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('end')}
      </button>
    );
  return (
    <form
      class="inline"
      onSubmit={form.submit(
        async (v) => {
          await post(`customers/${enc(props.customerId)}/pauses/${enc(props.pauseId)}/resume`, v);
          props.onDone();
        },
        (v) => checks([['reason', !!v.reason.trim(), 'fieldRequired']]),
      )}
    >
      <Field label={t('reason')} name="reason" form={form} required />
      <Submit form={form} label={t('end')} action="pause" />
    </form>
  );
}

type Open = Card['invoices'];
const invoiceOptions = (open: Open): [string, string][] => [
  ['', t('wholeCustomer')],
  ...open.map((i): [string, string] => [i.invoiceId, `${i.number} (${fmtMoney(i.outstanding.amount, i.outstanding.currency)})`]),
];

function AddPause(props: { c: Card; open: Open; onDone: () => void }) {
  const form = useForm({ invoiceId: props.open[0]?.invoiceId ?? '', until: addDays(today(), 14), kind: 'dispute', reason: '' });
  return (
    <form
      class="card"
      data-testid="add-pause"
      onSubmit={form.submit(
        async (v) => {
          await post(`customers/${enc(props.c.customerId)}/pauses`, {
            ...(v.invoiceId ? { invoiceId: v.invoiceId } : {}),
            until: v.until,
            kind: v.invoiceId ? v.kind : 'manual',
            reason: v.reason,
          });
          props.onDone();
        },
        (v) =>
          checks([
            ['until', DATE.test(v.until), 'fieldDate'],
            ['reason', !!v.reason.trim(), 'fieldRequired'],
          ]),
      )}
    >
      <h3>{t('addPause')}</h3>
      <Field label={t('invoice')} name="invoiceId" form={form} options={invoiceOptions(props.open)} />
      <Field label={t('until')} name="until" type="date" form={form} required />
      <Field
        label={t('kind')}
        name="kind"
        form={form}
        options={[
          ['dispute', 'dispute'],
          ['manual', 'manual'],
        ]}
      />
      <Field label={t('reason')} name="reason" form={form} required />
      <Submit form={form} label={t('save')} action="pause" />
    </form>
  );
}

function AddPromise(props: { c: Card; open: Open; onDone: () => void }) {
  const form = useForm({ invoiceId: '', date: addDays(today(), 7), amount: '', reason: '' });
  return (
    <form
      class="card"
      data-testid="add-promise"
      onSubmit={form.submit(
        async (v) => {
          await post(`customers/${enc(props.c.customerId)}/promises`, {
            date: v.date,
            amount: { amount: v.amount, currency: props.open[0]?.amount.currency ?? 'RUB' },
            ...(v.invoiceId ? { invoiceIds: [v.invoiceId] } : {}),
            reason: v.reason,
          });
          props.onDone();
        },
        (v) =>
          checks([
            ['date', DATE.test(v.date), 'fieldDate'],
            ['amount.amount', AMOUNT.test(v.amount), 'fieldAmount'],
            ['reason', !!v.reason.trim(), 'fieldRequired'],
          ]),
      )}
    >
      <h3>{t('addPromise')}</h3>
      <Field label={t('invoice')} name="invoiceId" form={form} options={invoiceOptions(props.open)} errorKeys={['invoiceIds', 'invoiceIds.0']} />
      <Field label={t('date')} name="date" type="date" form={form} required />
      <Field label={t('amount')} name="amount" form={form} errorKeys={['amount.amount', 'amount.currency']} placeholder="100000.00" required />
      <Field label={t('reason')} name="reason" form={form} required />
      <Submit form={form} label={t('save')} action="pause" />
    </form>
  );
}

function AddSchedule(props: { c: Card; onDone: () => void }) {
  const form = useForm({ installments: '', reason: '' });
  const parse = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [date = '', amount = ''] = l.split(/[\s;:]+/);
        return { date, amount };
      });
  return (
    <form
      class="card"
      data-testid="add-schedule"
      onSubmit={form.submit(
        async (v) => {
          await post(`customers/${enc(props.c.customerId)}/schedules`, { installments: parse(v.installments), reason: v.reason });
          props.onDone();
        },
        (v) => {
          const lines = parse(v.installments);
          return checks([
            ['installments', lines.length > 0 && lines.every((l) => DATE.test(l.date) && AMOUNT.test(l.amount)), 'fieldRequired'],
            ['reason', !!v.reason.trim(), 'fieldRequired'],
          ]);
        },
      )}
    >
      <h3>{t('addSchedule')}</h3>
      <Field
        label={t('installments')}
        name="installments"
        form={form}
        multiline
        errorKeys={['installments.0.date', 'installments.0.amount', 'installments.1.date', 'installments.1.amount']}
        placeholder={`${addDays(today(), 7)} 50000.00\n${addDays(today(), 37)} 50000.00`}
        required
      />
      <Field label={t('reason')} name="reason" form={form} required />
      <Submit form={form} label={t('save')} action="pause" />
    </form>
  );
}

function Reconciliation(props: { customerId: string; asOf: string }) {
  const form = useForm({ from: `${props.asOf.slice(0, 4)}-01-01`, to: props.asOf });
  return (
    <form
      class="card"
      data-testid="reconciliation"
      onSubmit={form.submit(
        async (v) => {
          await download(`customers/${enc(props.customerId)}/reconciliation?from=${enc(v.from)}&to=${enc(v.to)}&format=pdf`, `akt-sverki-${props.customerId}.pdf`);
        },
        (v) =>
          checks([
            ['from', DATE.test(v.from), 'fieldDate'],
            ['to', DATE.test(v.to), 'fieldDate'],
          ]),
      )}
    >
      <h2>{t('reconciliation')}</h2>
      <div class="row">
        <Field label={t('from')} name="from" type="date" form={form} required />
        <Field label={t('to')} name="to" type="date" form={form} required />
      </div>
      <Submit form={form} label={t('downloadPdf')} />
    </form>
  );
}
