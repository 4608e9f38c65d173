/** Audit: who did what, when and why. */
import { OperatorClient } from './client.js';
import { table } from './format.js';
import { help } from './help.js';
import { type CommandGroup, emit, globalsOf, parse } from './io.js';

const AUDIT_HELP = `claimflow audit [--customer ID] [--day YYYY-MM-DD]
  The audit trail: who did what, when and why. By customer (with the ledger's refusals of that
  customer's entries) or by day (company time zone; default today).`;

export const audit: CommandGroup = {
  title: 'Audit',
  overview: '  audit [--customer ID] [--day YYYY-MM-DD]',
  commands: {
    audit: {
      help: AUDIT_HELP,
      async run(io, args) {
        const { values } = parse(args, { customer: { type: 'string' }, day: { type: 'string' } });
        if (values.help) return help(io, AUDIT_HELP);
        const g = globalsOf(io, values);
        const r = await new OperatorClient(io, g).audit({ customer: values.customer, day: values.day });
        emit(io, g, r, () =>
          io.stdout(
            r.entries.length
              ? `${table(
                  ['When', 'Who', 'Action', 'Customer', 'Why', 'What'],
                  r.entries.map((e) => [e.at, e.principal ? `${e.by} (${e.principal})` : e.by, e.action, e.customerId ?? '', e.reason, JSON.stringify(e.details)]),
                )}\n`
              : 'No audited actions.\n',
          ),
        );
        return 0;
      },
    },
  },
};
