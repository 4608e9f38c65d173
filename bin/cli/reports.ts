/**
 * Receivables reports: `claimflow report <name> --as-of D …` over the operator API (GET
 * /operator/reports/{name}), or as a job (--job, or when the server answers REPORT_NEEDS_JOB: report-jobs.ts).
 */
import type { Report } from '../../functions/domain/reports/table.js';
import { table } from './format.js';
import { help } from './help.js';
import { type CliIo, type CommandGroup, globalsOf, need, parse, UsageError } from './io.js';
import { call, type HttpResult, ServerError } from './transport.js';
import { REPORT_NEEDS_JOB, reportAsJob } from './report-jobs.js';
import type { ErrorBody } from './api.js';

const REPORT_HELP = `claimflow report <name> --as-of YYYY-MM-DD [--from D --to D] [--period day|week|month]
                [--group-by customer|contract|manager|segment|portfolio] [--buckets 0,30,60,90,120]
                [--recovery-days N] [--format json|csv|xlsx|pdf] [--part detail|groups|totals]
                [--source auto|snapshots|ledger|debtors] [--job] [--out FILE]
  Reports on the ledger as of a date (entries dated later are left out, so a past report is
  reproducible):
    aging       open items by days past due (buckets), principal and accrued penalty apart, dunning stage
    dynamics    receivables, overdue, new invoices and payments per day/week/month (--from/--to)
    unpaid      unpaid invoices
    balances    settlement balances per customer and contract
    calendar    expected inflows (due dates, promises, schedules), also weighted by payment discipline,
                beside actual ones (--from/--to)
    portfolios  debtors by debt age and collection method (claim strategy, dunning stage)
    efficiency  DSO (simple, countback, best-possible), ADD, CEI, recovery after each stage, vs targets
    deviations  payment terms against the credit policy
  --format csv|xlsx|pdf writes the file to --out (csv may go to stdout); json prints the totals
  (--json: the whole report). Bad report, grouping, buckets or dates: exit 2 naming the field.
  --source auto (default): dynamics read the nightly snapshots' daily totals when every day of the
  range has them; unpaid, aging and portfolios as of today or later read only the customers with
  something open (the debtor and balance indexes); else the whole ledger. snapshots / debtors insist
  (exit 2 where they are not exact); ledger always folds the whole ledger (exact re-statement).
  --job runs the report as a job on the server (for whole-ledger reports that take minutes: in AWS a
  request ends after 29 s): progress on stderr while it runs, then its file is downloaded. Without
  --job, a report the server cannot read within a request (REPORT_NEEDS_JOB) switches to a job by itself.`;

const FORMATS = ['json', 'csv', 'xlsx', 'pdf'];

/** A progress line on stderr while the server works (reports over a big ledger take seconds). */
function progress(io: CliIo, what: string): (done: boolean) => void {
  const started = Date.now();
  io.stderr(`${what}…\n`);
  const timer = setInterval(() => io.stderr(`${what}… ${Math.round((Date.now() - started) / 1000)} s\n`), 2000);
  timer.unref?.();
  return (done) => {
    clearInterval(timer);
    if (done) io.stderr(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  };
}

export const reports: CommandGroup = {
  title: 'Reports',
  overview: `  report <name> --as-of YYYY-MM-DD [--format json|csv|xlsx|pdf] [--out FILE]
                                    aging, dynamics, unpaid, balances, calendar, portfolios, efficiency`,
  commands: {
    report: {
      help: REPORT_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          'as-of': { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          period: { type: 'string' },
          'group-by': { type: 'string' },
          buckets: { type: 'string' },
          'recovery-days': { type: 'string' },
          format: { type: 'string' },
          part: { type: 'string' },
          source: { type: 'string' },
          out: { type: 'string' },
          job: { type: 'boolean', default: false },
        });
        if (values.help) return help(io, REPORT_HELP);
        const g = globalsOf(io, values);
        const name = need(positionals[0], '<name>');
        const format = values.format ?? 'json';
        if (!FORMATS.includes(format)) throw new UsageError(`--format: unknown format "${format}"; known: ${FORMATS.join(', ')}`);
        if ((format === 'xlsx' || format === 'pdf') && !values.out) throw new UsageError(`--out FILE is needed for --format ${format}`);
        const query = {
          asOf: need(values['as-of'], '--as-of'),
          from: values.from,
          to: values.to,
          period: values.period,
          groupBy: values['group-by'],
          buckets: values.buckets,
          recoveryWindowDays: values['recovery-days'],
          ...(format !== 'json' ? { format } : {}),
          part: values.part,
          source: values.source,
        };
        const what = `report ${name} as of ${query.asOf}`;
        let bytes: Uint8Array;
        if (values.job) bytes = (await reportAsJob(io, g, name, query, what)).bytes;
        else {
          const done = progress(io, what);
          let r: HttpResult | undefined;
          try {
            r = await call(io, g, 'GET', `reports/${encodeURIComponent(name)}`, { query });
          } finally {
            done(r?.status === 200);
          }
          if (r.status === 422 && (r.json as ErrorBody | undefined)?.error?.code === REPORT_NEEDS_JOB) {
            // The ledger is too big to read within one request: the same report as a job.
            io.stderr(`${what}: the server cannot read it within a request (${REPORT_NEEDS_JOB}); running it as a job instead\n`);
            bytes = (await reportAsJob(io, g, name, query, what)).bytes;
          } else if (r.status !== 200) throw new ServerError(r);
          else bytes = r.bytes;
        }
        if (format !== 'json') {
          if (values.out) {
            await io.writeFile(values.out, bytes);
            io.stdout(`${format.toUpperCase()} saved to ${values.out} (${bytes.byteLength} bytes)\n`);
          } else io.stdout(Buffer.from(bytes).toString('utf8'));
          return 0;
        }
        const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as Report;
        if (values.out) {
          await io.writeFile(values.out, new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`));
          io.stdout(`JSON saved to ${values.out}\n`);
          return 0;
        }
        if (g.json) {
          io.stdout(`${JSON.stringify(report, null, 2)}\n`);
          return 0;
        }
        io.stdout(`${report.title}\n\n`);
        const t = report.totals.rows.length ? report.totals : report.groups;
        const cols = t.columns.slice(0, 12);
        io.stdout(
          `${table(
            cols.map((c) => c.label),
            t.rows.map((row) => cols.map((c) => (row[c.key] === null || row[c.key] === undefined ? '' : String(row[c.key])))),
            cols.map((c) => (c.type === 'text' || c.type === 'date' ? 'l' : 'r')),
          )}\n`,
        );
        io.stdout(`\n${report.detail.rows.length} rows, ${report.groups.rows.length} groups. --format csv|xlsx|pdf --out FILE for all of it.\n`);
        return 0;
      },
    },
  },
};
