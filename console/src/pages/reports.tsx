/**
 * Reports (operator API GET /operator/reports/{name}): aging, dynamics, unpaid, balances, calendar,
 * portfolios, efficiency (KPIs against targets), deviations — their charts, totals, groups and rows,
 * and the exports (CSV, XLSX, PDF). The report's shape is the API's (functions/domain/reports/table.ts);
 * its titles, column labels, chart texts and fixed cell values are shown in the console's language by
 * their stable keys (report-labels.ts). A report the API cannot read within a request
 * (REPORT_NEEDS_JOB) is run as a job, with its progress shown (report-job.ts).
 */
import { useState } from 'preact/hooks';
import type { Column, Report, Row, Table as TableData } from '../../../functions/domain/reports/table.js';
import { download, enc, get } from '../api.js';
import { jobFile, orAsJob, runReportJob } from '../report-job.js';
import { chartTitle, columnLabel, groupName, periodName, reportName, reportTitle, seriesName, valueLabel, bucketLabel } from '../report-labels.js';
import { SpecChart } from '../chart.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPct, t } from '../i18n.js';
import { checks, DATE, ErrorBox, Field, Page, Submit, Table, today, useForm, useLoad } from '../ui.js';

const NAMES = ['aging', 'dynamics', 'unpaid', 'balances', 'calendar', 'portfolios', 'efficiency', 'deviations'];
const GROUPS = ['', 'customer', 'contract', 'manager', 'segment', 'portfolio'];
const MAX_ROWS = 200;

function cell(c: Column, row: Row): string {
  const v = row[c.key];
  if (v === null || v === undefined || v === '') return '—';
  switch (c.type) {
    case 'money':
      return fmtMoney(String(v), typeof row.currency === 'string' ? row.currency : 'RUB');
    case 'date':
      return fmtDate(String(v));
    case 'int':
    case 'number':
      return typeof v === 'number' ? fmtNumber(v) : String(v);
    case 'pct':
      return fmtPct(String(v));
    default:
      return valueLabel(String(v));
  }
}

function ReportTable(props: { caption: string; report: Report; data: TableData; testid?: string }) {
  const rows = props.data.rows.slice(0, MAX_ROWS);
  const num = props.data.columns.map((c, i) => (['money', 'int', 'number', 'pct'].includes(c.type) ? i : -1)).filter((i) => i >= 0);
  return (
    <>
      <h2>
        {props.caption}
        {props.data.rows.length > MAX_ROWS ? ` (${t('shownFirst')} ${MAX_ROWS} / ${fmtNumber(props.data.rows.length)})` : ''}
      </h2>
      <Table
        testid={props.testid}
        head={props.data.columns.map((c) => columnLabel(props.report.report, c, props.report.groupBy))}
        num={num}
        rows={rows.map((r) => props.data.columns.map((c) => cell(c, r)))}
      />
    </>
  );
}

export function ReportsPage() {
  const form = useForm({ name: 'aging', asOf: today(), groupBy: '', from: '', to: '', period: '' });
  /** The report shown, with the form's values it was built from (its exports are of the same report). */
  const [shown, setShown] = useState<{ report: Report; with: typeof form.values }>();
  const r = shown?.report;
  const [jobSeconds, setJobSeconds] = useState<number>();
  /** The export being saved (its buttons wait meanwhile), and why the last one failed. */
  const [exporting, setExporting] = useState<string>();
  const [exportError, setExportError] = useState<unknown>();
  const loaded = useLoad(async () => true, []);
  const qs = (v: typeof form.values, format?: string) =>
    `${enc(v.name)}?asOf=${enc(v.asOf)}${v.groupBy ? `&groupBy=${enc(v.groupBy)}` : ''}${v.from ? `&from=${enc(v.from)}` : ''}${v.to ? `&to=${enc(v.to)}` : ''}${v.period ? `&period=${enc(v.period)}` : ''}${format ? `&format=${format}` : ''}`;
  /** The same parameters as a job's body (REPORT_NEEDS_JOB: the report runs as a job). */
  const params = (v: typeof form.values, format: string) =>
    Object.fromEntries(Object.entries({ asOf: v.asOf, groupBy: v.groupBy, from: v.from, to: v.to, period: v.period, format }).filter(([, x]) => x));
  const asJob = async <T,>(v: typeof form.values, format: string, then: (job: Awaited<ReturnType<typeof runReportJob>>) => Promise<T>): Promise<T> => {
    setJobSeconds(0);
    try {
      return await then(await runReportJob(v.name, params(v, format), setJobSeconds));
    } finally {
      setJobSeconds(undefined);
    }
  };
  /**
   * Saves the shown report as `f` (built from the values it was shown with, not what was typed since),
   * as a job when the API asks for one; a failure (of the job too) is shown, not lost.
   */
  const exportAs = async (s: NonNullable<typeof shown>, f: string) => {
    const name = `${s.report.report}-${s.report.asOf}.${f}`;
    setExportError(undefined);
    setExporting(f);
    try {
      await orAsJob(
        () => download(`reports/${qs(s.with, f)}`, name),
        () => asJob(s.with, f, (job) => download(jobFile(job), job.result?.filename ?? name)),
      );
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(undefined);
    }
  };
  const check = (v: typeof form.values) =>
    checks([
      ['asOf', DATE.test(v.asOf), 'fieldDate'],
      ['from', !v.from || DATE.test(v.from), 'fieldDate'],
      ['to', !v.to || DATE.test(v.to), 'fieldDate'],
    ]);
  return (
    <Page title={t('reports')} loaded={loaded} testid="reports-page">
      {() => (
        <>
          <form
            class="card"
            data-testid="report-form"
            onSubmit={form.submit(async (v) => {
              // Validated by the API too; a bad field comes back named and is shown beside it.
              const report = await orAsJob(
                () => get<Report>(`reports/${qs(v)}`),
                () => asJob(v, 'json', (job) => get<Report>(jobFile(job))),
              );
              setExportError(undefined);
              setShown({ report, with: v });
            }, check)}
          >
            <div class="row">
              <Field label={t('report')} name="name" form={form} options={NAMES.map((n) => [n, reportName(n)])} errorKeys={['report']} />
              <Field label={t('asOf')} name="asOf" type="date" form={form} required />
              <Field label={t('groupBy')} name="groupBy" form={form} options={GROUPS.map((g) => [g, g ? groupName(g) : '—'])} />
              <Field label={t('from')} name="from" type="date" form={form} />
              <Field label={t('to')} name="to" type="date" form={form} />
              <Field
                label={t('period')}
                name="period"
                form={form}
                options={[
                  ['', '—'],
                  ['day', periodName('day')],
                  ['week', periodName('week')],
                  ['month', periodName('month')],
                ]}
              />
            </div>
            <Submit form={form} label={t('build')} />
            {jobSeconds !== undefined ? (
              <p class="muted" data-testid="report-job" role="status">
                {t('reportJobRunning')} {jobSeconds} s
              </p>
            ) : null}
          </form>
          {shown && r ? (
            <>
              <h2 data-testid="report-title">{reportTitle(r)}</h2>
              <div class="actions">
                {['csv', 'xlsx', 'pdf'].map((f) => (
                  <button type="button" disabled={exporting !== undefined || form.busy} aria-busy={exporting === f} onClick={() => exportAs(shown, f)}>
                    {t('export')} {f.toUpperCase()}
                  </button>
                ))}
              </div>
              {exportError ? (
                <div data-testid="report-export-error">
                  <ErrorBox error={exportError} />
                </div>
              ) : null}
              {r.charts.map((c, i) => (
                <SpecChart
                  spec={{
                    ...c,
                    title: chartTitle(r.report, c.title),
                    categories: c.categories.map((x) => (r.report === 'aging' ? bucketLabel(x) : valueLabel(x))),
                    series: c.series.map((x) => ({ ...x, name: seriesName(x.name) })),
                  }}
                  testid={`report-chart-${i}`}
                />
              ))}
              <ReportTable caption={t('totals')} report={r} data={r.totals} testid="report-totals" />
              {r.groups.rows.length ? <ReportTable caption={t('groups')} report={r} data={r.groups} /> : null}
              <ReportTable caption={t('detail')} report={r} data={r.detail} testid="report-detail" />
              {r.notes.length ? (
                <ul class="muted" lang="en">
                  {r.notes.map((n) => (
                    <li>{n}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
