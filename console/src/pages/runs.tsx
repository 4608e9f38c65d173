/** Runs: the list with a chart of letters per stage, a dry run preview and starting a run. */
import { useState } from 'preact/hooks';
import type { RunListItem } from '../../../functions/ports/console.js';
import { get, post } from '../api.js';
import { StackedBars, STAGE_COLORS } from '../chart.js';
import { fmtDate, fmtInstant, fmtMoney, fmtNumber, t, tx } from '../i18n.js';
import { checks, DATE, Field, Link, navigate, Page, Submit, Table, today, useForm, useLoad } from '../ui.js';

const STAGES = ['reminder', 'warning', 'claim', 'litigation'] as const;

export function RunsPage() {
  const loaded = useLoad(() => get<{ runs: RunListItem[] }>('runs'), []);
  return (
    <Page title={t('runs')} loaded={loaded} testid="runs-page">
      {(d) => (
        <>
          {d.runs.length ? (
            <>
              <StackedBars
                title={t('lettersPerRun')}
                testid="runs-chart"
                categories={[...d.runs].reverse().map((r) => fmtDate(r.runDate))}
                series={STAGES.map((s) => ({ name: tx('stage', s), color: STAGE_COLORS[s]!, data: [...d.runs].reverse().map((r) => r.letters?.[s] ?? 0) }))}
              />
              <Table
                testid="runs-table"
                head={[t('runDate'), t('execution'), t('customersProcessed'), ...STAGES.map((s) => tx('stage', s)), t('failures'), t('ambiguous'), t('finishedAt')]}
                num={[2, 3, 4, 5, 6, 7, 8]}
                rows={d.runs.map((r) => [
                  <Link href={`/runs/${r.runDate}`}>{fmtDate(r.runDate)}</Link>,
                  r.executionName ?? '—',
                  fmtNumber(r.customers),
                  ...STAGES.map((s) => fmtNumber(r.letters?.[s] ?? 0)),
                  fmtNumber(r.failures),
                  r.ambiguous ? <strong class="warn">{fmtNumber(r.ambiguous)}</strong> : fmtNumber(r.ambiguous),
                  fmtInstant(r.finishedAt),
                ])}
              />
            </>
          ) : (
            <p class="muted">{t('noRuns')}</p>
          )}
          <div class="cols">
            <DryRun />
            <StartRun onStarted={loaded.reload} />
          </div>
        </>
      )}
    </Page>
  );
}

function StartRun(props: { onStarted: () => void }) {
  const form = useForm({ runDate: today() });
  return (
    <form
      class="card"
      onSubmit={form.submit(
        async (v) => {
          const r = await post<{ executionName: string; status: string }>('runs', { runDate: v.runDate });
          props.onStarted();
          navigate(`/runs/${v.runDate}`);
          return `${r.executionName}: ${r.status}`;
        },
        (v) => checks([['runDate', DATE.test(v.runDate), 'fieldDate']]),
      )}
    >
      <h2>{t('startRun')}</h2>
      <Field label={t('runDate')} name="runDate" type="date" form={form} required />
      <Submit form={form} label={t('startRun')} action="run.start" />
    </form>
  );
}

interface DryRunResult {
  runDate: string;
  customers: {
    customerId: string;
    status: string;
    letters: { stage: string; channels: string[]; invoices: string[]; total: { amount: string; currency: string }[] }[];
    skipped: { invoice: string; reason: string }[];
  }[];
  totals: { customers: number; letters: Record<string, number> };
  nextToken?: string;
}

function DryRun() {
  const form = useForm({ runDate: today() });
  const [result, setResult] = useState<DryRunResult>();
  return (
    <div class="card" data-testid="dry-run">
      <form
        onSubmit={form.submit(
          async (v) => {
            setResult(await post<DryRunResult>('runs', { runDate: v.runDate, dryRun: true }));
          },
          (v) => checks([['runDate', DATE.test(v.runDate), 'fieldDate']]),
        )}
      >
        <h2>{t('dryRun')}</h2>
        <p class="muted">{t('dryRunHint')}</p>
        <Field label={t('runDate')} name="runDate" type="date" form={form} required />
        <Submit form={form} label={t('preview')} />
      </form>
      {result ? (
        <>
          <h3>{t('wouldSend')}</h3>
          <Table
            testid="dry-run-letters"
            head={[t('customer'), t('stage'), t('channels'), t('invoices'), t('amount')]}
            num={[4]}
            rows={result.customers.flatMap((c) =>
              c.letters.map((l) => [
                <Link href={`/customers/${encodeURIComponent(c.customerId)}`}>{c.customerId}</Link>,
                tx('stage', l.stage),
                l.channels.join(' + '),
                l.invoices.join(', '),
                l.total.map((m) => fmtMoney(m.amount, m.currency)).join(', '),
              ]),
            )}
          />
          <h3>{t('notDunned')}</h3>
          <Table
            testid="dry-run-skipped"
            head={[t('customer'), t('invoice'), t('why')]}
            rows={result.customers.flatMap((c) => c.skipped.map((s) => [c.customerId, s.invoice, s.reason]))}
          />
        </>
      ) : null}
    </div>
  );
}
