/** Pauses, promises to pay and payment schedules (audited: who, when, why). */
import { OperatorClient } from './client.js';
import { money, table } from './format.js';
import { help } from './help.js';
import { type CommandGroup, emit, globalsOf, need, parse, UsageError } from './io.js';

const PAUSE_HELP = `claimflow pause <customerId> [--invoice ID] --until YYYY-MM-DD --reason TEXT [--kind dispute|manual]
  Pauses dunning of one invoice (a dispute) or of the whole customer (manual) through --until
  inclusive; dunning resumes the next day.`;
const RESUME_HELP = `claimflow resume <customerId> <pauseId> --reason TEXT
  Ends a pause, promise or schedule early (pause ids: \`claimflow pauses <customerId>\`).`;
const PAUSES_HELP = `claimflow pauses <customerId>
  Lists the customer's pauses, promises to pay and payment schedules, with who set them and why.`;
const PROMISE_HELP = `claimflow promise <customerId> --date YYYY-MM-DD --amount 1000.00 [--currency RUB] [--invoice ID …] --reason TEXT
  Records a promise to pay: dunning of the named invoices (or the whole customer) pauses until the date.`;
const SCHEDULE_HELP = `claimflow schedule <customerId> --installment YYYY-MM-DD:AMOUNT [--installment …] [--currency RUB] [--invoice ID …] --reason TEXT
  Records an agreed payment schedule; dunning pauses until the last installment's date.`;

export const pauses: CommandGroup = {
  title: 'Pauses (audited: who, when, why)',
  overview: `  pause <customerId> [--invoice ID] --until YYYY-MM-DD --reason TEXT [--kind dispute|manual]
  resume <customerId> <pauseId> --reason TEXT
  pauses <customerId>               list a customer's pauses, promises and schedules
  promise <customerId> --date YYYY-MM-DD --amount 1000.00 [--currency RUB] [--invoice ID …] --reason TEXT
  schedule <customerId> --installment YYYY-MM-DD:AMOUNT … [--currency RUB] [--invoice ID …] --reason TEXT
                                    dunning pauses until the last installment`,
  commands: {
    pause: {
      help: PAUSE_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { invoice: { type: 'string' }, until: { type: 'string' }, reason: { type: 'string' }, kind: { type: 'string' } });
        if (values.help) return help(io, PAUSE_HELP);
        const g = globalsOf(io, values);
        const customerId = need(positionals[0], '<customerId>');
        const r = await new OperatorClient(io, g).pause(customerId, {
          until: values.until,
          reason: values.reason,
          ...(values.invoice ? { invoiceId: values.invoice } : {}),
          ...(values.kind ? { kind: values.kind } : {}),
        });
        emit(io, g, r, () =>
          io.stdout(`Paused ${r.pause.invoiceId ? `invoice ${r.pause.invoiceId} of ` : ''}${customerId} (${r.pause.kind}) through ${r.pause.until}: pause id ${r.pause.pauseId}\n`),
        );
        return 0;
      },
    },

    resume: {
      help: RESUME_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, { reason: { type: 'string' } });
        if (values.help) return help(io, RESUME_HELP);
        const g = globalsOf(io, values);
        const customerId = need(positionals[0], '<customerId>');
        const pauseId = need(positionals[1], '<pauseId>');
        const r = await new OperatorClient(io, g).resume(customerId, pauseId, { reason: values.reason });
        emit(io, g, r, () => io.stdout(`Resumed ${r.resumed.join(', ')} for ${customerId}: dunned again from the next run.\n`));
        return 0;
      },
    },

    pauses: {
      help: PAUSES_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {});
        if (values.help) return help(io, PAUSES_HELP);
        const g = globalsOf(io, values);
        const customerId = need(positionals[0], '<customerId>');
        const r = await new OperatorClient(io, g).pauses(customerId);
        emit(io, g, r, () =>
          io.stdout(
            r.pauses.length
              ? `${table(
                  ['Pause id', 'Kind', 'Invoice', 'Until', 'Amount', 'By', 'Reason', 'Resumed'],
                  r.pauses.map((p) => [
                    p.pauseId,
                    p.kind,
                    p.invoiceId ?? '(customer)',
                    p.until,
                    p.amount ? money([p.amount]) : '',
                    p.by,
                    p.reason,
                    p.resolved ? `${p.resolved.by} ${p.resolved.at.slice(0, 10)}` : '',
                  ]),
                )}\n`
              : `No pauses for ${customerId}.\n`,
          ),
        );
        return 0;
      },
    },

    promise: {
      help: PROMISE_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          date: { type: 'string' },
          amount: { type: 'string' },
          currency: { type: 'string', default: 'RUB' },
          invoice: { type: 'string', multiple: true },
          reason: { type: 'string' },
        });
        if (values.help) return help(io, PROMISE_HELP);
        const g = globalsOf(io, values);
        const customerId = need(positionals[0], '<customerId>');
        const r = await new OperatorClient(io, g).promise(customerId, {
          date: values.date,
          amount: { amount: values.amount, currency: values.currency },
          reason: values.reason,
          ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}),
        });
        emit(io, g, r, () =>
          io.stdout(
            `Promise to pay ${values.amount} ${values.currency} by ${values.date} recorded for ${customerId}; dunning paused through ${values.date}: pause id ${r.pauses[0].pauseId}\n`,
          ),
        );
        return 0;
      },
    },

    schedule: {
      help: SCHEDULE_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          installment: { type: 'string', multiple: true },
          currency: { type: 'string', default: 'RUB' },
          invoice: { type: 'string', multiple: true },
          reason: { type: 'string' },
        });
        if (values.help) return help(io, SCHEDULE_HELP);
        const g = globalsOf(io, values);
        const customerId = need(positionals[0], '<customerId>');
        const installments = need(values.installment, '--installment YYYY-MM-DD:AMOUNT').map((s) => {
          const m = /^(\d{4}-\d{2}-\d{2}):(.+)$/.exec(s);
          if (!m) throw new UsageError(`--installment must be YYYY-MM-DD:AMOUNT (got "${s}")`);
          return { date: m[1], amount: m[2] };
        });
        const r = await new OperatorClient(io, g).schedule(customerId, {
          installments,
          currency: values.currency,
          reason: values.reason,
          ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}),
        });
        emit(io, g, r, () =>
          io.stdout(
            `Payment schedule of ${installments.length} installment(s), ${money([r.total])}, agreed with ${customerId}; dunning paused through ${r.until}: pause id ${r.pauses[0].pauseId}\n`,
          ),
        );
        return 0;
      },
    },
  },
};
