/**
 * claimflow credit check | status | reserve | override grant|revoke|list|report | matrix | deviations | discipline | sweep
 * Locally the caller's role is --role or $CLAIMFLOW_ROLE (sent as X-Claimflow-Role); in AWS it comes from
 * the IAM role (claimflow-<role>) the CLI's credentials assumed.
 */
import { OperatorClient } from './client.js';
import { help } from './help.js';
import { type CliIo, type CommandGroup, emit, globalsOf, need, parse, UsageError } from './io.js';

const CREDIT_HELP = `claimflow credit <command> …  (--json for the server's answer)
  check <customerId> --order ID --amount 1000.00 [--currency RUB] [--contract ID] [--prepaid 0.00]
                                   may this order ship? ALLOW | ALLOW_WITH_PREPAYMENT | HOLD with reasons
  reserve <customerId> --order ID --amount 1000.00 [--currency RUB] [--contract ID] [--prepaid 0.00]
                                   the same, and holds the exposure until invoiced (or 24 h)
  status <customerId>              state, reasons, exposure, terms, overrides, discipline
  override grant <customerId> --hours 48 --max 100000.00 [--currency RUB] [--order ID] --reason TEXT   (head_of_sales)
  override revoke <customerId> <overrideId> --reason TEXT                                              (head_of_sales)
  override list [--customer ID] [--status active|expired|revoked]
  override report                  overrides whose customers later went further overdue
  matrix                           the credit policy matrix (customer type × risk category → terms)
  deviations [--customer ID]       customers whose terms differ from the matrix, field by field
  discipline [--customer ID]       payment discipline: on-time share, days late, trend, score, category
  sweep                            recompute every snapshot now (holds that start with the day, expiries)
  --role ROLE                      locally: act in this role (clerk, legal, head_of_sales, finance, admin)`;

const withRole = (io: CliIo, role: string | undefined): CliIo => (role ? { ...io, env: { ...io.env, CLAIMFLOW_ROLE: role } } : io);

type Reason = { code: string; value: string | null; threshold: string | null; documents: string[]; message: string };
type Decision = {
  decision: string;
  prepayment?: { amount: string; currency: string };
  reasons: Reason[];
  override?: { overrideId: string };
  validUntil: string;
  reservation?: { orderId: string; expiresAt: string };
};

function printDecision(io: CliIo, d: Decision): void {
  io.stdout(`${d.decision}${d.prepayment ? ` — prepay ${d.prepayment.amount} ${d.prepayment.currency}` : ''}${d.override ? ` (override ${d.override.overrideId})` : ''}\n`);
  for (const r of d.reasons) io.stdout(`  ${r.code}: ${r.message}\n`);
  if (d.reservation) io.stdout(`  reserved order ${d.reservation.orderId} until ${d.reservation.expiresAt}\n`);
  io.stdout(`  valid until ${d.validUntil}\n`);
}

export const credit: CommandGroup = {
  title: 'Credit control',
  overview: `  credit check|reserve|status|override grant|revoke|list|report|matrix|deviations|discipline|sweep
                                    may a customer ship? (claimflow credit --help)`,
  commands: {
    credit: {
      help: CREDIT_HELP,
      async run(ioIn, args) {
        const { values, positionals } = parse(args, {
          order: { type: 'string' },
          amount: { type: 'string' },
          currency: { type: 'string' },
          contract: { type: 'string' },
          prepaid: { type: 'string' },
          hours: { type: 'string' },
          max: { type: 'string' },
          reason: { type: 'string' },
          customer: { type: 'string' },
          status: { type: 'string' },
          role: { type: 'string' },
        });
        const [sub, ...rest] = positionals;
        if (values.help || !sub) return help(ioIn, CREDIT_HELP);
        const io = withRole(ioIn, values.role);
        const g = globalsOf(io, values);
        const c = new OperatorClient(io, g);
        const order = () => ({
          customerId: need(rest[0], '<customerId>'),
          orderId: need(values.order, '--order'),
          amount: need(values.amount, '--amount'),
          currency: values.currency ?? 'RUB',
          ...(values.contract ? { contractId: values.contract } : {}),
          ...(values.prepaid ? { prepaid: values.prepaid } : {}),
          idempotencyKey: `cli-${values.order}`,
        });
        switch (sub) {
          case 'check':
          case 'reserve': {
            const d = await c.post<Decision>(sub === 'check' ? 'credit/checks' : 'credit/reservations', order());
            emit(io, g, d, () => printDecision(io, d));
            return d.decision === 'HOLD' ? 3 : 0;
          }
          case 'status': {
            const s = await c.get<{
              state: string;
              reasons: Reason[];
              riskCategory: string;
              exposure: Record<string, { total: string }>;
              terms: { limit?: { amount: string; currency: string }; mode: string };
            }>(`credit/customers/${encodeURIComponent(need(rest[0], '<customerId>'))}`);
            emit(io, g, s, () => {
              io.stdout(
                `${rest[0]}: ${s.state}, category ${s.riskCategory}, mode ${s.terms.mode}, limit ${s.terms.limit ? `${s.terms.limit.amount} ${s.terms.limit.currency}` : 'none'}\n`,
              );
              for (const [cur, l] of Object.entries(s.exposure)) io.stdout(`  exposure ${l.total} ${cur}\n`);
              for (const r of s.reasons) io.stdout(`  ${r.code}: ${r.message}\n`);
            });
            return 0;
          }
          case 'override': {
            const [action, customerId, overrideId] = rest;
            if (action === 'grant') {
              const o = await c.post<{ overrideId: string; expiresAt: string }>(`credit/customers/${encodeURIComponent(need(customerId, '<customerId>'))}/overrides`, {
                scope: values.order ? 'order' : 'customer',
                ...(values.order ? { orderId: values.order } : {}),
                maxAmount: need(values.max, '--max'),
                currency: values.currency ?? 'RUB',
                hours: Number(need(values.hours, '--hours')),
                reason: need(values.reason, '--reason'),
              });
              emit(io, g, o, () => io.stdout(`Override ${o.overrideId} granted until ${o.expiresAt}\n`));
              return 0;
            }
            if (action === 'revoke') {
              const o = await c.post<{ overrideId: string }>(
                `credit/customers/${encodeURIComponent(need(customerId, '<customerId>'))}/overrides/${encodeURIComponent(need(overrideId, '<overrideId>'))}/revoke`,
                { reason: need(values.reason, '--reason') },
              );
              emit(io, g, o, () => io.stdout(`Override ${o.overrideId} revoked\n`));
              return 0;
            }
            if (action === 'list' || action === 'report') {
              const r = await c.get<{ overrides: { overrideId: string; customerId: string; status: string; expiresAt: string; grantedBy: string; reason: string }[] }>(
                action === 'list' ? 'credit/overrides' : 'credit/overrides/report',
                {
                  customer: values.customer,
                  status: values.status,
                },
              );
              emit(io, g, r, () => {
                for (const o of r.overrides) io.stdout(`${o.overrideId}  ${o.customerId}  ${o.status}  until ${o.expiresAt}  by ${o.grantedBy}: ${o.reason}\n`);
                if (!r.overrides.length) io.stdout('none\n');
              });
              return 0;
            }
            throw new UsageError('override grant|revoke|list|report');
          }
          case 'matrix': {
            const m = await c.get<{
              policyVersion: string;
              holdStart: string;
              matrix: {
                customerType: string;
                riskCategory: string;
                terms: { limit?: { amount: string }; deferralDays: number; prepaymentPct: string; maxDaysOverdue: number; mode: string };
              }[];
            }>('credit/matrix');
            emit(io, g, m, () => {
              io.stdout(`${m.policyVersion}, hold start: ${m.holdStart}\n`);
              for (const r of m.matrix)
                io.stdout(
                  `  ${r.customerType} ${r.riskCategory}: limit ${r.terms.limit?.amount ?? '—'}, deferral ${r.terms.deferralDays} d, prepay ${r.terms.prepaymentPct} %, hold after ${r.terms.maxDaysOverdue} d, ${r.terms.mode}\n`,
                );
            });
            return 0;
          }
          case 'deviations': {
            const r = await c.get<{
              customers: { customerId: string; riskCategory: string; deviations: { field: string; contractId?: string; matrixValue: unknown; actualValue: unknown }[] }[];
            }>('credit/deviations', { customer: values.customer });
            emit(io, g, r, () => {
              for (const cu of r.customers) {
                io.stdout(`${cu.customerId} (category ${cu.riskCategory})\n`);
                for (const d of cu.deviations)
                  io.stdout(`  ${d.contractId ? `contract ${d.contractId} ` : ''}${d.field}: matrix ${JSON.stringify(d.matrixValue)}, actual ${JSON.stringify(d.actualValue)}\n`);
              }
              if (!r.customers.length) io.stdout('no deviations\n');
            });
            return 0;
          }
          case 'discipline': {
            const r = await c.get<{
              customers: { customerId: string; category: string; score: string; onTimeShare: string; avgDaysLate: string; trend?: { direction: string } }[];
            }>('credit/discipline', { customer: values.customer });
            emit(io, g, r, () => {
              for (const cu of r.customers)
                io.stdout(`${cu.customerId}  ${cu.category}  score ${cu.score}  on time ${cu.onTimeShare}  days late ${cu.avgDaysLate}  trend ${cu.trend?.direction ?? '—'}\n`);
            });
            return 0;
          }
          case 'sweep': {
            const r = await c.post<{ customers: number; refreshed: number; left: number; changed: string[] }>('credit/sweep', {});
            emit(io, g, r, () =>
              io.stdout(
                `${r.refreshed} of ${r.customers} snapshots recomputed${r.left ? ` (${r.left} left for the next sweep: run it again)` : ''}; changed: ${r.changed.join(', ') || 'none'}\n`,
              ),
            );
            return 0;
          }
          default:
            throw new UsageError(`unknown credit command "${sub}" (claimflow credit --help)`);
        }
      },
    },
  },
};
