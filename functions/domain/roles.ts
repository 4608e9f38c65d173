/**
 * Operator roles and what each may do (pure data). The operator API refuses an action outside the
 * caller's roles with 403 naming the roles that may; the web console shows such actions disabled.
 *
 * Where a caller's roles come from: in AWS the console's Cognito groups (JWT claim "cognito:groups");
 * locally the configured console user's roles (bin/local/console-auth.ts). Callers without roles
 * (the CLI over IAM, or locally with only the X-Claimflow-Operator header) keep the behaviour they
 * had: no role check except claim-case approval, which reads LEGAL_ROLE_PRINCIPALS.
 */
export const ROLES = ['clerk', 'legal', 'head_of_sales', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** Actions that change something; reads need only a signed-in identity. */
export const ACTIONS = {
  'run.start': ['clerk', 'admin'],
  'letter.resolve': ['clerk', 'admin'],
  /** Pauses, promises to pay, payment schedules, and ending them. */
  pause: ['clerk', 'head_of_sales', 'admin'],
  'bank.import': ['clerk', 'finance', 'admin'],
  'review.resolve': ['clerk', 'finance', 'admin'],
  'period.close': ['finance', 'admin'],
  replay: ['admin'],
  /** Approve or reject a claim case for litigation. */
  'case.decide': ['legal'],
  'case.strategy': ['legal', 'head_of_sales', 'admin'],
  'case.package': ['legal', 'admin'],
  /** Grant or revoke a credit override (only the head of sales lifts a hold: docs/rules.md §4). */
  'credit.override': ['head_of_sales'],
  /** Set a customer's credit terms, type and group. */
  'credit.terms': ['finance', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof ACTIONS;

export const rolesFor = (action: Action): readonly Role[] => ACTIONS[action];

export const mayAct = (roles: readonly string[], action: Action): boolean => roles.some((r) => (ACTIONS[action] as readonly string[]).includes(r));

/** Each action → whether these roles may take it (what the console disables). */
export const permissionsOf = (roles: readonly string[]): Record<Action, boolean> =>
  Object.fromEntries((Object.keys(ACTIONS) as Action[]).map((a) => [a, mayAct(roles, a)])) as Record<Action, boolean>;
