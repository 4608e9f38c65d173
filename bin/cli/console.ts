/**
 * The reads the web console is built on, from the command line too: who am I (roles and what they
 * permit), the list of runs, a customer list and a customer card, a stored document (letter PDF,
 * print-batch volume, court package file), a local execution's history.
 */
import type { CustomerCard, CustomerList, ExecutionHistory, MeView, RunListItem } from '../../functions/ports/console.js';
import { OperatorClient } from './client.js';
import { money, table } from './format.js';
import { help, usage } from './help.js';
import { type CommandGroup, emit, globalsOf, need, parse } from './io.js';

const WHOAMI_HELP = `claimflow whoami
  The name the operator API audits for you, your roles and the actions they permit (roles apply to
  signed-in console users; the CLI is identified by --by / $USER locally and by IAM in the cloud).`;
const RUNLIST_HELP = `claimflow run-list [--limit N]
  The dunning runs, newest first: execution, customers, letters per stage, failures, ambiguous sends.`;
const CUSTOMERS_HELP = `claimflow customers [--search TEXT] [--limit N] [--page-token T]
  Customers with open invoices, earliest due date first. --search: a customer id, or text in the name or
  tax id of any customer (searched by the server over every customer, by name). A further page: the
  --page-token the previous answer printed.`;
const CUSTOMER_HELP = `claimflow customer <customerId> [--as-of YYYY-MM-DD]
  The customer card: balances, invoices with stage history and allocations, pauses, letters, penalty to date.`;
const DOCUMENT_HELP = `claimflow document <key> --out FILE
  Saves a stored document: a letter (letters/<date>/<stage>/<customer>.pdf), a print-batch volume, or a
  court package file (cases/<caseId>/…). Keys are in run views, customer cards and package manifests.`;
const EXECUTION_HELP = `claimflow execution <name>
  The recorded history of a local execution (state by state); in AWS, its Step Functions console link.`;

const amounts = (m: Record<string, string>) => money(Object.entries(m).map(([currency, amount]) => ({ amount, currency })));

export const consoleReads: CommandGroup = {
  title: 'Console reads',
  overview: `  whoami                            your name as audited, roles and permitted actions
  run-list [--limit N]              the dunning runs, newest first
  customers [--search TEXT]         customers with open invoices, earliest due first
  customer <customerId>             the customer card: invoices, stages, pauses, letters, penalty
  document <key> --out FILE         save a stored letter, print-batch volume or court package file
  execution <name>                  a local execution's recorded history`,
  commands: {
    whoami: {
      help: WHOAMI_HELP,
      async run(io, args) {
        const { values } = parse(args, {});
        if (values.help) return help(io, WHOAMI_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).get<MeView>('me');
        emit(io, g, r, () =>
          io.stdout(
            `${r.by}; roles: ${r.roles.join(', ') || 'none'}; may: ${
              Object.entries(r.permissions)
                .filter(([, v]) => v)
                .map(([k]) => k)
                .join(', ') || '—'
            }\n`,
          ),
        );
        return 0;
      },
    },
    'run-list': {
      help: RUNLIST_HELP,
      async run(io, args) {
        const { values } = parse(args, { limit: { type: 'string' } });
        if (values.help) return help(io, RUNLIST_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).get<{ runs: RunListItem[] }>('runs', values.limit ? { limit: values.limit } : undefined);
        emit(io, g, r, () =>
          io.stdout(
            r.runs.length
              ? `${table(
                  ['Run date', 'Execution', 'Customers', 'Letters', 'Failures', 'Ambiguous'],
                  r.runs.map((x) => [
                    x.runDate,
                    x.executionName ?? '',
                    String(x.customers ?? ''),
                    Object.entries(x.letters ?? {})
                      .map(([s, n]) => `${s} ${n}`)
                      .join(', '),
                    String(x.failures ?? 0),
                    String(x.ambiguous ?? 0),
                  ]),
                )}\n`
              : 'No runs yet.\n',
          ),
        );
        return 0;
      },
    },
    customers: {
      help: CUSTOMERS_HELP,
      async run(io, args) {
        const { values } = parse(args, { search: { type: 'string' }, limit: { type: 'string' }, 'page-token': { type: 'string' } });
        if (values.help) return help(io, CUSTOMERS_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).get<CustomerList>('customers', {
          q: values.search,
          limit: values.limit,
          pageToken: values['page-token'],
        });
        emit(io, g, r, () =>
          io.stdout(
            `${table(
              ['Customer', 'Name', 'Tax id', 'Receivable', 'Earliest due'],
              r.customers.map((c) => [c.customerId, c.legalName ?? '', c.taxId ?? '', amounts(c.receivable ?? {}), c.minOpenDueDate ?? '']),
            )}\n${r.nextToken ? `More: --page-token ${r.nextToken}\n` : ''}`,
          ),
        );
        return 0;
      },
    },
    customer: {
      help: CUSTOMER_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { 'as-of': { type: 'string' } });
        if (values.help) return help(io, CUSTOMER_HELP);
        if (!positionals[0]) return usage(io, 'customer', CUSTOMER_HELP);
        const g = globalsOf(io, values);
        const c = await new OperatorClient(io, g).get<CustomerCard>(
          `customers/${encodeURIComponent(positionals[0])}/card`,
          values['as-of'] ? { asOf: values['as-of'] } : undefined,
        );
        emit(io, g, c, () => {
          io.stdout(`${c.profile.legalName}${c.profile.taxId ? `, tax id ${c.profile.taxId}` : ''} — as of ${c.asOf}\n`);
          io.stdout(
            `Receivable ${amounts(c.receivable)}; overdue ${amounts(c.overdue)}; penalty to date ${c.penalty ? `${c.penalty.total} ${c.penalty.currency} (${c.penalty.basis})` : '—'}\n\n`,
          );
          io.stdout(
            `${table(
              ['Invoice', 'Due', 'Outstanding', 'Status', 'Days overdue', 'Stages'],
              c.invoices.map((i) => [
                i.number,
                i.dueDate,
                money([i.outstanding]),
                i.status,
                String(i.daysOverdue || ''),
                i.stages.map((s) => `${s.stage} ${s.runDate}`).join('; '),
              ]),
            )}\n`,
          );
          if (c.pauses.length)
            io.stdout(
              `\nPauses:\n${table(
                ['Pause', 'Kind', 'Until', 'Reason', 'Ended'],
                c.pauses.map((p) => [p.pauseId, p.kind, p.until, p.reason, p.resolved ? 'yes' : '']),
              )}\n`,
            );
          if (c.letters.length)
            io.stdout(
              `\nLetters:\n${table(
                ['Run', 'Stage', 'Status'],
                c.letters.map((l) => [l.runDate, l.stage, l.status]),
              )}\n`,
            );
        });
        return 0;
      },
    },
    document: {
      help: DOCUMENT_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { out: { type: 'string' } });
        if (values.help) return help(io, DOCUMENT_HELP);
        const g = globalsOf(io, values);
        const key = need(positionals[0], 'the document key');
        const out = need(values.out, '--out FILE');
        const bytes = await new OperatorClient(io, g).bytes('documents', { key }, '');
        await io.writeFile(out, bytes);
        io.stdout(`Saved ${key} to ${out} (${bytes.byteLength} bytes).\n`);
        return 0;
      },
    },
    execution: {
      help: EXECUTION_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {});
        if (values.help) return help(io, EXECUTION_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).get<ExecutionHistory>(`executions/${encodeURIComponent(need(positionals[0], 'the execution name'))}`);
        emit(io, g, r, () =>
          io.stdout(
            `${r.name}: ${r.status ?? ''}\n${table(
              ['State', 'Event', '×'],
              r.events.map((e) => [e.name, e.error ? `${e.event}: ${e.error}` : e.event, String(e.count ?? 1)]),
            )}\n`,
          ),
        );
        return 0;
      },
    },
  },
};
