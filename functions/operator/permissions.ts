/**
 * The action each existing operator route takes (route key "METHOD /pattern"), for the role check in
 * handleOperator. Route files declare their own action on their RouteDef.
 */
import type { Action } from '../domain/roles.js';
import type { Ctx } from './route-kit.js';

export const ROUTE_ACTIONS: Record<string, Action | ((ctx: Ctx) => Action | undefined)> = {
  // A dry run changes nothing: any signed-in role may preview.
  'POST runs': (ctx) => ((ctx.body() as { dryRun?: unknown } | undefined)?.dryRun === true ? undefined : 'run.start'),
  'POST customers/:customerId/pauses': 'pause',
  'POST customers/:customerId/pauses/:pauseId/resume': 'pause',
  'POST customers/:customerId/promises': 'pause',
  'POST customers/:customerId/schedules': 'pause',
  'POST period-close': 'period.close',
  'POST letters/:runDate/:customerId/:stage/resolve': 'letter.resolve',
  'POST bank-imports': 'bank.import',
  'POST review/:importId/:line/resolve': 'review.resolve',
  'POST replay': 'replay',
  'POST cases/:caseId/approve': 'case.decide',
  'POST cases/:caseId/reject': 'case.decide',
  'POST cases/:caseId/strategy': 'case.strategy',
  'POST cases/:caseId/package': 'case.package',
};
