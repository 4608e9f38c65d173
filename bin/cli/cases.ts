/** Claim cases (претензионно-исковая работа): list, show, approve or reject, strategy, litigation package. */
import type { CaseBrief, WireMoney } from './api.js';
import { OperatorClient } from './client.js';
import { help } from './help.js';
import { packageJob, reportPackage, startPackageJob, waitForPackage } from './package-jobs.js';
import { type CommandGroup, emit, globalsOf, need, parse, UsageError } from './io.js';

const CASE_HELP = `claimflow case list|show|approve|reject|strategy|package …
  list [--status S] [--customer ID]    show <caseId>
  approve <caseId> [--role legal] [--note TEXT]
  reject <caseId> --note TEXT [--role legal]
  strategy <caseId> wait|collect|sell [--pct N] [--date YYYY-MM-DD] [--note TEXT]
  package <caseId> [--as-of YYYY-MM-DD] [--out DIR] [--no-wait]
  package-job <jobId> [--out DIR]
The package is built as a job (it can take minutes): \`package\` starts it and polls it, showing progress
on stderr, then lists the files (--out DIR downloads them); --no-wait prints the job id, which
\`package-job\` shows later. Exit code 1 when the build failed.
Approval needs the legal role: in the cloud it comes from the caller's IAM identity (LEGAL_ROLE_PRINCIPALS); locally from --role.`;

const amount = (m: WireMoney | string | undefined) => (typeof m === 'object' ? m.amount : m);
const brief = (c: CaseBrief) =>
  `${c.caseId}  ${c.customerId}  ${c.status}  principal ${amount(c.principal)} penalty ${amount(c.penalty)} duty ${amount(c.estimatedDuty) ?? ''} total ${amount(c.total)}  strategy ${c.strategy ?? '—'}`;

export const cases: CommandGroup = {
  title: 'Claim cases (претензионно-исковая работа)',
  overview: `  case list [--status pre-trial|awaiting-approval|approved|litigation|closed] [--customer ID]
  case show <caseId>
  case approve <caseId> [--role legal] [--note TEXT]      a lawyer moves the case to litigation
  case reject <caseId> --note TEXT [--role legal]
  case strategy <caseId> wait|collect|sell [--pct 60] [--date YYYY-MM-DD] [--note TEXT]
  case package <caseId> [--as-of YYYY-MM-DD] [--out DIR] build the litigation package (approved cases) and wait for it
  case package-job <jobId> [--out DIR]                  a package job: running, done (its files) or failed`,
  commands: {
    case: {
      help: CASE_HELP,
      async run(io, args) {
        const { values, positionals } = parse(args, {
          status: { type: 'string' },
          customer: { type: 'string' },
          role: { type: 'string' },
          note: { type: 'string' },
          pct: { type: 'string' },
          date: { type: 'string' },
          'as-of': { type: 'string' },
          out: { type: 'string' },
          'no-wait': { type: 'boolean' },
        });
        if (values.help) return help(io, CASE_HELP);
        const g = globalsOf(io, values);
        const api = new OperatorClient(io, g);
        const [sub, caseId, arg] = positionals;
        switch (sub) {
          case 'list': {
            const r = await api.cases({ status: values.status, customer: values.customer });
            emit(io, g, r, () => io.stdout(r.cases.length ? `${r.cases.map(brief).join('\n')}\n` : 'No claim cases.\n'));
            return 0;
          }
          case 'show': {
            const r = await api.case(need(caseId, '<caseId>'));
            io.stdout(`${JSON.stringify(r, null, 2)}\n`);
            return 0;
          }
          case 'approve':
          case 'reject': {
            const id = need(caseId, '<caseId>');
            if (sub === 'reject') need(values.note, '--note TEXT');
            const r = await api.decideCase(id, sub, { role: values.role ?? 'legal', ...(values.note ? { note: values.note } : {}) });
            emit(io, g, r, () => io.stdout(`Case ${id}: ${sub === 'approve' ? 'approved for litigation' : 'rejected'} by ${g.by}.\n`));
            return 0;
          }
          case 'strategy': {
            const id = need(caseId, '<caseId>');
            const r = await api.setStrategy(id, {
              strategy: need(arg, 'wait|collect|sell'),
              ...(values.pct ? { expectedRecoveryPct: values.pct } : {}),
              ...(values.date ? { expectedRecoveryDate: values.date } : {}),
              ...(values.note ? { note: values.note } : {}),
            });
            emit(io, g, r, () => io.stdout(`${brief(r)}\n`));
            return 0;
          }
          case 'package': {
            const id = need(caseId, '<caseId>');
            const job = await startPackageJob(api, id, values['as-of'] ? { asOf: values['as-of'] } : {});
            return reportPackage(io, g, api, values['no-wait'] ? job : await waitForPackage(io, api, job), values.out);
          }
          case 'package-job':
            return reportPackage(io, g, api, await packageJob(api, need(caseId, '<jobId>')), values.out);
          default:
            throw new UsageError('expected list, show, approve, reject, strategy, package or package-job');
        }
      },
    },
  },
};
