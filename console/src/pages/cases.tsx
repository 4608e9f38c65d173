/** Claim cases by status; one case with its figures, approve / reject (legal), the court package. */
import { useState } from 'preact/hooks';
import { ApiError, download, enc, get, post } from '../api.js';
import { fmtDate, fmtInstant, fmtMoney, t, tx } from '../i18n.js';
import { checks, Field, Link, Page, Submit, Table, useForm, useLoad } from '../ui.js';
import { buildPackage } from '../package-job.js';

const STATUSES = ['', 'pre-trial', 'awaiting-approval', 'approved', 'litigation', 'closed'];

interface Brief {
  caseId: string;
  customerId: string;
  customerName?: string;
  status: string;
  court: string;
  principal: string;
  penalty: string;
  claimPrice: string;
  duty: string;
  total: string;
  currency: string;
  strategy: string;
}

export function CasesPage() {
  const [status, setStatus] = useState(new URLSearchParams(location.search).get('status') ?? '');
  const loaded = useLoad(() => get<{ cases: Brief[] }>(`cases${status ? `?status=${enc(status)}` : ''}`), [status]);
  return (
    <Page title={t('cases')} loaded={loaded} testid="cases-page">
      {(d) => (
        <>
          <div class="filters" role="group" aria-label={t('caseStatus')}>
            {STATUSES.map((s) => (
              <button type="button" class={status === s ? 'chip on' : 'chip'} aria-pressed={status === s} onClick={() => setStatus(s)}>
                {s || t('all')}
              </button>
            ))}
          </div>
          <Table
            testid="cases-table"
            head={['ID', t('customer'), t('status'), t('principal'), t('penalty'), t('duty'), t('total'), t('strategy')]}
            num={[3, 4, 5, 6]}
            rows={d.cases.map((c) => [
              <Link href={`/cases/${enc(c.caseId)}`}>{c.caseId}</Link>,
              c.customerName ?? c.customerId,
              c.status,
              fmtMoney(c.principal, c.currency),
              fmtMoney(c.penalty, c.currency),
              fmtMoney(c.duty, c.currency),
              fmtMoney(c.total, c.currency),
              c.strategy,
            ])}
          />
        </>
      )}
    </Page>
  );
}

export function CasePage(props: { id: string }) {
  const loaded = useLoad(() => get<any>(`cases/${enc(props.id)}`), [props.id]);
  return (
    <Page title={`${t('claimCase')} ${props.id}`} loaded={loaded} testid="case-page">
      {(c) => (
        <>
          <dl class="facts" data-testid="case-figures">
            <dt>{t('customer')}</dt>
            <dd>
              <Link href={`/customers/${enc(c.customerId)}`}>{c.customerName ?? c.customerId}</Link>
            </dd>
            <dt>{t('status')}</dt>
            <dd data-testid="case-status">{c.status}</dd>
            <dt>{t('principal')}</dt>
            <dd>{fmtMoney(c.principal.amount, c.currency)}</dd>
            <dt>{t('penalty')}</dt>
            <dd>
              {fmtMoney(c.penalty.amount.amount, c.currency)} ({fmtDate(c.penalty.asOf)}; {c.penalty.basis})
            </dd>
            <dt>{t('claimPrice')}</dt>
            <dd>{fmtMoney(c.claimPrice.amount, c.currency)}</dd>
            <dt>{t('duty')}</dt>
            <dd>
              {fmtMoney(c.estimatedDuty.amount.amount, c.currency)} — {c.estimatedDuty.formula}
            </dd>
            <dt>{t('total')}</dt>
            <dd>{fmtMoney(c.total.amount, c.currency)}</dd>
            <dt>{t('court')}</dt>
            <dd>{c.court}</dd>
            <dt>{t('strategy')}</dt>
            <dd>
              {c.strategy} ({c.expectedRecoveryPct} %, {fmtDate(c.expectedRecoveryDate)})
            </dd>
          </dl>
          <h2>{t('invoices')}</h2>
          <Table
            head={[t('invoice'), t('issued'), t('due'), t('amount'), t('outstanding'), t('daysOverdue')]}
            num={[3, 4, 5]}
            rows={c.basis.map((i: any) => [
              i.number,
              fmtDate(i.issueDate),
              fmtDate(i.dueDate),
              fmtMoney(i.amount.amount, i.amount.currency),
              fmtMoney(i.outstanding.amount, i.outstanding.currency),
              String(i.daysOverdue),
            ])}
          />
          {c.status === 'awaiting-approval' ? <Decide id={c.caseId} onDone={loaded.reload} /> : null}
          <Package c={c} onDone={loaded.reload} />
          <h2>{t('events')}</h2>
          <Table head={[t('date'), t('by'), t('kind'), t('note')]} rows={[...c.events].reverse().map((e: any) => [fmtInstant(e.at), e.by, e.kind, e.note ?? ''])} />
          <h2>{t('stageHistory')}</h2>
          <Table head={[t('stage'), t('date'), t('by')]} rows={c.stageHistory.map((s: any) => [tx('stage', s.stage), fmtDate(s.on), s.by])} />
        </>
      )}
    </Page>
  );
}

function Decide(props: { id: string; onDone: () => void }) {
  const approve = useForm({ note: '' });
  const reject = useForm({ note: '' });
  return (
    <div class="cols">
      <form
        class="card"
        data-testid="approve-case"
        onSubmit={approve.submit(async (v) => {
          await post(`cases/${enc(props.id)}/approve`, v.note ? { note: v.note } : {});
          // The ClaimCase workflow builds the package right after the approval.
          setTimeout(props.onDone, 1500);
          props.onDone();
        })}
      >
        <h2>{t('approve')}</h2>
        <Field label={t('note')} name="note" form={approve} />
        <Submit form={approve} label={t('approve')} action="case.decide" />
      </form>
      <form
        class="card"
        onSubmit={reject.submit(
          async (v) => {
            await post(`cases/${enc(props.id)}/reject`, { note: v.note });
            props.onDone();
          },
          (v) => checks([['note', !!v.note.trim(), 'fieldRequired']]),
        )}
      >
        <h2>{t('reject')}</h2>
        <Field label={t('note')} name="note" form={reject} required />
        <Submit form={reject} label={t('reject')} action="case.decide" danger />
      </form>
    </div>
  );
}

function Package(props: { c: any; onDone: () => void }) {
  const c = props.c;
  const manifest = useLoad(async () => {
    if (!c.package) return undefined;
    try {
      return await get<{ files: { name: string; key: string; title: string; bytes: number }[]; warnings: { code?: string; message?: string }[] }>(`cases/${enc(c.caseId)}/package`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }, [c.caseId, c.package?.builtAt]);
  const build = useForm({});
  const [building, setBuilding] = useState<number>();
  const approved = c.status === 'approved' || c.status === 'litigation';
  return (
    <section data-testid="case-package">
      <h2>{t('litigationPackage')}</h2>
      {manifest.data ? (
        <Table
          head={[t('file'), '', t('download')]}
          rows={manifest.data.files.map((f) => [
            f.title,
            f.name,
            <button type="button" class="link" onClick={() => download(`documents?key=${enc(f.key)}`, f.name)}>
              {t('download')}
            </button>,
          ])}
        />
      ) : null}
      {approved ? (
        <form
          onSubmit={build.submit(async () => {
            setBuilding(0);
            try {
              await buildPackage(c.caseId, setBuilding);
            } finally {
              setBuilding(undefined);
            }
            props.onDone();
            return t('packageReady');
          })}
        >
          {building !== undefined ? (
            <p role="status" data-testid="package-progress">
              {t('packageBuilding')} {building} s
            </p>
          ) : null}
          <Submit form={build} label={t('buildPackage')} action="case.package" />
        </form>
      ) : null}
    </section>
  );
}
