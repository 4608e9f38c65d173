/** Ledger: reconciliation statements, period close, bank statement import and review, webhook replay. */
import { basename } from 'node:path';
import type { Statement } from './api.js';
import { OperatorClient } from './client.js';
import { table } from './format.js';
import { help, usage } from './help.js';
import { type CliIo, type CommandGroup, emit, globalsOf, need, parse, UsageError } from './io.js';

const RECONCILE_HELP = `claimflow reconcile <customerId> --from YYYY-MM-DD --to YYYY-MM-DD [--currency RUB] [--contract ID|none] [--pdf FILE]
  Prints the reconciliation statement (акт сверки): opening balance, each document with debit and
  credit, closing balance, and the balance per contract. --contract ID: the statement by that contract
  (акт сверки по договору); --contract none: what belongs to no contract (advances, invoices without
  one). --pdf FILE also saves it as an A4 PDF; --json prints the JSON statement.`;
const CLOSE_PERIOD_HELP = `claimflow close-period --through YYYY-MM-DD --reason TEXT
  Closes the books through the date (inclusive). Entries dated inside a closed period are refused
  (409) and recorded; corrections go into the open period. A closed period is never reopened.`;
const IMPORT_BANK_HELP = `claimflow import-bank <file> [--reason TEXT]
  Imports a 1C client-bank statement (Windows-1251, CP866 or UTF-8). Prints documents imported,
  duplicates (already booked), documents sent to the review list and broken sections by line.
  Importing the same file again books nothing twice.`;
const REVIEW_HELP = `claimflow review list | review resolve <importId> <line> (--customer ID [--invoice ID …] | --dismiss) --reason TEXT
  Bank payments that could not be matched or were refused, waiting for an operator; resolve books one
  to a customer (same payment id as the import: never twice) or dismisses it. Audited.`;
const REPLAY_HELP = `claimflow replay <archiveRef> [--reason TEXT]
  Re-processes an archived webhook payload (the reference is in the dead-letter message, e.g.
  s3://bucket/archive/… or file:///…/archive/…). A payload already booked is a no-op (duplicate).`;

export const ledger: CommandGroup = {
  title: 'Ledger',
  overview: `  reconcile <customerId> --from YYYY-MM-DD --to YYYY-MM-DD [--currency RUB] [--contract ID|none] [--pdf FILE]
                                    reconciliation statement (акт сверки); --pdf also saves the PDF
  close-period --through YYYY-MM-DD --reason TEXT
  import-bank <file>                import a 1C client-bank statement (1CClientBankExchange)
  review list                       bank payments waiting for an operator
  review resolve <importId> <line> --customer ID [--invoice ID …] --reason TEXT   (or --dismiss)
  replay <archiveRef>               re-process an archived (dead-lettered) webhook payload`,
  commands: {
    reconcile: {
      help: RECONCILE_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          from: { type: 'string' },
          to: { type: 'string' },
          currency: { type: 'string' },
          contract: { type: 'string' },
          pdf: { type: 'string' },
        });
        if (values.help) return help(io, RECONCILE_HELP);
        const g = globalsOf(io, values);
        const api = new OperatorClient(io, g);
        const customerId = need(positionals[0], '<customerId>');
        const query = { from: values.from, to: values.to, currency: values.currency, contract: values.contract };
        const st = await api.reconciliation(customerId, query);
        if (values.pdf) await io.writeFile(values.pdf, await api.reconciliationPdf(customerId, query));
        emit(io, g, st, () => {
          printStatement(io, st);
          if (values.pdf) io.stdout(`PDF saved to ${values.pdf}\n`);
        });
        return 0;
      },
    },

    'close-period': {
      help: CLOSE_PERIOD_HELP,
      async run(io, args) {
        const { values } = parse(args, { through: { type: 'string' }, reason: { type: 'string' } });
        if (values.help) return help(io, CLOSE_PERIOD_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).closePeriod({ through: values.through, reason: values.reason });
        emit(io, g, r, () => io.stdout(`Books closed through ${r.period.closedThrough} (by ${r.period.by}).\n`));
        return 0;
      },
    },

    'import-bank': {
      help: IMPORT_BANK_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { reason: { type: 'string' } });
        if (values.help) return help(io, IMPORT_BANK_HELP);
        const g = globalsOf(io, values);
        const file = need(positionals[0], '<file>');
        let bytes: Uint8Array;
        try {
          bytes = await io.readFile(file);
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
        }
        const r = await new OperatorClient(io, g).importBank({
          fileName: basename(file),
          contentBase64: Buffer.from(bytes).toString('base64'),
          ...(values.reason ? { reason: values.reason } : {}),
        });
        emit(io, g, r, () => {
          io.stdout(`${file} (${r.encoding}): ${r.documents} document(s)\n`);
          io.stdout(
            `  imported    ${r.imported}\n  duplicates  ${r.duplicates}\n  skipped     ${r.skipped} (outgoing or other accounts)\n  review      ${r.review.length}\n  errors      ${r.errors.length}\n`,
          );
          for (const x of r.review) io.stdout(`  review  line ${x.line}: ${x.reason}\n`);
          for (const e of r.errors) io.stdout(`  error   line ${e.line}: ${e.message}\n`);
        });
        return 0;
      },
    },

    review: {
      help: REVIEW_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          customer: { type: 'string' },
          invoice: { type: 'string', multiple: true },
          reason: { type: 'string' },
          dismiss: { type: 'boolean', default: false },
        });
        if (values.help) return help(io, REVIEW_HELP);
        const g = globalsOf(io, values);
        const api = new OperatorClient(io, g);
        if (positionals[0] === 'resolve') {
          const importId = need(positionals[1], '<importId>');
          const line = need(positionals[2], '<line>');
          const reason = need(values.reason, '--reason TEXT');
          if (!values.dismiss) need(values.customer, '--customer ID (or --dismiss)');
          const r = await api.resolveReview(importId, line, {
            outcome: values.dismiss ? 'dismiss' : 'book',
            reason,
            ...(values.customer ? { customerId: values.customer } : {}),
            ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}),
          });
          emit(io, g, r, () => io.stdout(r.status === 'booked' ? `Booked to ${values.customer} as payment ${r.paymentId} (${r.ledger}).\n` : 'Dismissed.\n'));
          return 0;
        }
        if (positionals[0] !== 'list') return usage(io, 'review', REVIEW_HELP);
        const r = await api.reviewList();
        emit(io, g, r, () =>
          io.stdout(
            r.items.length
              ? `${table(
                  ['Import', 'Line', 'Date', 'Amount', 'Payer', 'Reason'],
                  r.items.map((i) => [
                    i.importId,
                    String(i.line),
                    i.document?.date ?? '',
                    i.document?.amount ?? '',
                    `${i.document?.payerName ?? ''} ${i.document?.payerInn ?? ''}`.trim(),
                    i.reason,
                  ]),
                )}\n`
              : 'The review list is empty.\n',
          ),
        );
        return 0;
      },
    },

    replay: {
      help: REPLAY_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { reason: { type: 'string' } });
        if (values.help) return help(io, REPLAY_HELP);
        const g = globalsOf(io, values);
        const archiveRef = need(positionals[0], '<archiveRef>');
        const r = await new OperatorClient(io, g).replay({ archiveRef, ...(values.reason ? { reason: values.reason } : {}) });
        emit(io, g, r, () => io.stdout(`Replayed ${r.source} event ${r.eventId}: ${r.status} (HTTP ${r.statusCode}).\n`));
        return r.statusCode >= 500 ? 1 : r.statusCode >= 400 ? 2 : 0;
      },
    },
  },
};

function printStatement(io: CliIo, st: Statement): void {
  const name = st.customer?.legalName ?? st.customerId;
  io.stdout(`Reconciliation statement (акт сверки) — ${name}${st.customer?.taxId ? `, INN ${st.customer.taxId}` : ''}\n`);
  const contract = (id: string | null | undefined, c?: { number: string; date: string }) =>
    id === null ? 'no contract' : c ? `contract ${c.number} of ${c.date} (${id})` : `contract ${id}`;
  io.stdout(`Period ${st.from} … ${st.to}, ${st.currency}${st.contractId !== undefined ? `; ${contract(st.contractId, st.contract)}` : ''}\n\n`);
  const rows: string[][] = [
    [st.from, 'Opening balance', st.opening.debit, st.opening.credit, st.opening.balance],
    ...st.rows.map((r) => [r.date, r.description, r.debit === '0.00' ? '' : r.debit, r.credit === '0.00' ? '' : r.credit, r.balance]),
    ['', 'Turnover', st.turnover.debit, st.turnover.credit, ''],
    [st.to, 'Closing balance', st.closing.debit, st.closing.credit, st.closing.balance],
  ];
  io.stdout(`${table(['Date', 'Document', 'Debit', 'Credit', 'Balance'], rows, ['l', 'l', 'r', 'r', 'r'])}\n`);
  if (st.contractId === undefined && (st.byContract ?? []).length > 0) {
    const subs = (st.byContract ?? []).map((b) => [contract(b.contractId, b.contract), b.opening.balance, b.turnover.debit, b.turnover.credit, b.closing.balance]);
    io.stdout(`\nBy contract:\n${table(['Contract', 'Opening', 'Debit', 'Credit', 'Closing'], subs, ['l', 'r', 'r', 'r', 'r'])}\n`);
  }
  const open = st.atClose?.openInvoices ?? [];
  io.stdout(
    `\nAt ${st.to}: ${open.length} open invoice(s)${open.length ? ` (${open.map((i) => `${i.number} ${i.outstanding}`).join(', ')})` : ''}; unapplied credit ${st.atClose?.unappliedCredit ?? '0'}.\n`,
  );
}
