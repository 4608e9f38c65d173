/** Runs: start a dunning run (or a dry run), show a run's letters, settle an ambiguous letter. */
import { Decimal } from 'decimal.js';
import type { DryRunPage, RunTotals } from './api.js';
import { OperatorClient } from './client.js';
import { money, table } from './format.js';
import { help, usage } from './help.js';
import { type CliIo, type CommandGroup, emit, globalsOf, need, parse } from './io.js';

const RUN_HELP = `claimflow run --as-of YYYY-MM-DD [--dry-run] [--rerun TAG --reason TEXT]
  Without --dry-run: starts the run for the date (one run per date; --rerun TAG starts a deliberate
  second run, e.g. after resolving ambiguous letters). With --dry-run: lists, per customer and stage,
  the letters the run would send (invoices, amounts, channels) and the invoices it would not dun, with
  the reason. A dry run writes nothing.`;

const RUNS_HELP = `claimflow runs show YYYY-MM-DD
  The run record and every letter of the run: customer, stage, status (sent, ambiguous, failed …),
  channels, invoices and amounts.`;

const LETTERS_HELP = `claimflow letters resolve <runDate> <customerId> <stage> --outcome sent|not-sent --reason TEXT
  An ambiguous letter (the process stopped after the send call, before recording it) is never resent
  blindly. Check the inbox / SES logs, then: sent (the stage is recorded and never sent again) or
  not-sent (a re-run of the date, \`claimflow run --as-of D --rerun TAG\`, may send it).`;

export const runs: CommandGroup = {
  title: 'Runs',
  overview: `  run --as-of YYYY-MM-DD [--dry-run] [--rerun TAG --reason TEXT]
                                    start the dunning run for a date, or (--dry-run) list what it would
                                    send per customer and stage, changing nothing
  runs show YYYY-MM-DD              the letters of a run: customer, stage, status, channels, amounts
  letters resolve <runDate> <customerId> <stage> --outcome sent|not-sent --reason TEXT
                                    settle an ambiguous send after checking the mail logs`,
  commands: {
    run: {
      help: RUN_HELP,
      async run(io, args) {
        const { values } = parse(args, { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, rerun: { type: 'string' }, reason: { type: 'string' } });
        if (values.help) return help(io, RUN_HELP);
        const g = globalsOf(io, values);
        const api = new OperatorClient(io, g);
        const runDate = need(values['as-of'], '--as-of YYYY-MM-DD');
        if (values['dry-run']) {
          const merged: DryRunPage & { dryRun: true } = {
            runDate,
            dryRun: true,
            customers: [],
            totals: { customers: 0, failures: 0, skipped: 0, ambiguous: 0, letters: {}, amounts: {} },
          };
          let pageToken: string | undefined;
          let first = true;
          do {
            const r = await api.dryRunPage({ runDate, dryRun: true, ...(pageToken ? { pageToken } : {}) });
            merged.customers.push(...r.customers);
            merged.totals = first ? r.totals : addTotals(merged.totals, r.totals);
            first = false;
            pageToken = r.nextToken;
          } while (pageToken);
          emit(io, g, merged, () => printDryRun(io, merged));
          return 0;
        }
        const r = await api.startRun({ runDate, ...(values.rerun ? { rerun: values.rerun } : {}), ...(values.reason ? { reason: values.reason } : {}) });
        emit(io, g, r, () => {
          io.stdout(`Run ${r.executionName}: ${r.status}\n`);
          const s = r.summary;
          if (s) {
            io.stdout(
              `Customers ${s.customers}; letters: ${Object.entries(s.letters ?? {})
                .map(([k, n]) => `${k} ${n}`)
                .join(', ')}; failures ${s.failures}; ambiguous ${s.ambiguous ?? 0}\n`,
            );
          }
        });
        return 0;
      },
    },

    runs: {
      help: RUNS_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {});
        if (values.help || positionals[0] !== 'show') return values.help ? help(io, RUNS_HELP) : usage(io, 'runs', RUNS_HELP);
        const g = globalsOf(io, values);
        const runDate = need(positionals[1], 'the run date (YYYY-MM-DD)');
        const r = await new OperatorClient(io, g).run(runDate);
        emit(io, g, r, () => {
          const run = r.run ?? {};
          io.stdout(`Run of ${runDate}${run.executionName ? ` (${run.executionName})` : ''}\n\n`);
          io.stdout(
            r.letters.length
              ? `${table(
                  ['Customer', 'Stage', 'Status', 'Channels', 'Invoices', 'Amount'],
                  r.letters.map((l) => [l.customerId, l.stage, l.status, (l.channels ?? []).join('+'), String(l.invoiceIds?.length ?? 0), money(l.total)]),
                )}\n`
              : 'No letters.\n',
          );
          if (r.failures.length)
            io.stdout(
              `\nFailed customers:\n${table(
                ['Customer', 'Error'],
                r.failures.map((f) => [f.customerId, `${f.error}: ${f.cause}`]),
              )}\n`,
            );
        });
        return 0;
      },
    },

    letters: {
      help: LETTERS_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { outcome: { type: 'string' }, reason: { type: 'string' } });
        if (values.help || positionals[0] !== 'resolve') return values.help ? help(io, LETTERS_HELP) : usage(io, 'letters', LETTERS_HELP);
        const g = globalsOf(io, values);
        const [, runDate, customerId, stage] = positionals;
        const r = await new OperatorClient(io, g).resolveLetter(need(runDate, '<runDate>'), need(customerId, '<customerId>'), need(stage, '<stage>'), {
          outcome: values.outcome,
          reason: values.reason,
        });
        emit(io, g, r, () => io.stdout(`Letter ${stage} of ${runDate} for ${customerId}: now ${r.letter.status} (audited: ${r.audit.by}, ${r.audit.at}).\n`));
        return 0;
      },
    },
  },
};

/** The totals of a dry run's pages, added up. */
const decimalsOf = (s: string | undefined): number => (s?.split('.')[1] ?? '').length;

/** Totals of two dry-run pages added up (the merged --json output has the API's shape: docs/schemas/dry-run.json). */
function addTotals(a: RunTotals, b: RunTotals): RunTotals {
  const out = {
    ...a,
    customers: a.customers + b.customers,
    failures: a.failures + b.failures,
    skipped: a.skipped + b.skipped,
    ambiguous: a.ambiguous + b.ambiguous,
    letters: { ...a.letters },
  };
  for (const [k, n] of Object.entries(b.letters)) out.letters[k] = (out.letters[k] ?? 0) + n;
  // Amounts per stage and currency add up as decimals; failed customers of every page are kept.
  const amounts: Record<string, Record<string, string>> = structuredClone(a.amounts ?? {});
  for (const [stage, byCurrency] of Object.entries(b.amounts ?? {})) {
    const to = (amounts[stage] ??= {});
    for (const [cur, amt] of Object.entries(byCurrency)) {
      const sum = new Decimal(to[cur] ?? '0').plus(amt);
      to[cur] = sum.toFixed(Math.max(decimalsOf(to[cur]), decimalsOf(amt)));
    }
  }
  return { ...out, amounts, failedCustomers: [...(a.failedCustomers ?? []), ...(b.failedCustomers ?? [])] };
}

function printDryRun(io: CliIo, r: DryRunPage): void {
  io.stdout(`Dry run for ${r.runDate}: nothing was sent or recorded.\n\n`);
  const rows: string[][] = [];
  for (const c of r.customers) {
    for (const l of c.letters) rows.push([c.customerId, l.stage, l.channels.join('+'), l.invoices.join(', '), money(l.total)]);
    if (c.status === 'failed') rows.push([c.customerId, '—', '—', `cannot process: ${c.error}`, '']);
  }
  io.stdout(rows.length ? `${table(['Customer', 'Stage', 'Channels', 'Invoices', 'Amount'], rows)}\n` : 'No letters would be sent.\n');
  const skipped = r.customers.flatMap((c) => c.skipped.map((s) => [c.customerId, s.invoice, s.reason]));
  if (skipped.length) io.stdout(`\nNot dunned:\n${table(['Customer', 'Invoice', 'Why'], skipped)}\n`);
  const t = r.totals;
  io.stdout(
    `\nCustomers: ${t.customers}; letters: ${Object.entries(t.letters)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; failures: ${t.failures}\n`,
  );
}
