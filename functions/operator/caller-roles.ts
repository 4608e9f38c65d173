/**
 * Who may do what in credit control (and claim-case approval): one function turns whatever identity
 * the request carries into claimflow roles.
 *
 * - AWS, console users: the Cognito user pool's groups ("cognito:groups" of the JWT) named like roles.
 * - AWS, CLI and machines over IAM: the IAM role the caller assumed, named `claimflow-<role>` (e.g.
 *   arn:aws:sts::123456789012:assumed-role/claimflow-head_of_sales/anna → head_of_sales), or a configured
 *   map of principal ARNs (or their suffix, "user/anna") to roles. Chosen over IAM principal *tags*:
 *   API Gateway does not pass tags, and reading them costs an iam:ListRoleTags call and permission per
 *   request; the role name is in the ARN API Gateway already verified.
 * - Locally: the configured identity — the X-Claimflow-Role header the CLI sends from --role or
 *   $CLAIMFLOW_ROLE (one trusted machine, like the legal role of `case approve --role legal`).
 * Unknown names are ignored; the result is sorted and unique.
 */
import { isRole, type Role } from '../domain/roles.js';

export const ROLE_HEADER = 'x-claimflow-role';
/** IAM roles named `claimflow-<role>` carry that role. */
export const IAM_ROLE_PREFIX = 'claimflow-';

export interface CallerIdentity {
  /** Cognito groups of a signed-in console user. */
  cognitoGroups?: readonly string[];
  /** The IAM principal ARN API Gateway authorized (user or assumed role). */
  iamPrincipalArn?: string;
  /** Locally: the configured roles (header / environment). */
  localRoles?: readonly string[];
}

export interface RoleConfig {
  /** Principal ARN or suffix ("user/anna", "role/Finance") → roles. */
  principalRoles?: Record<string, readonly string[]>;
}

/**
 * A configured principal matches the caller's ARN exactly, by suffix ("user/anna"), or — for "role/<name>" —
 * any session of that role (API Gateway names an assumed role arn:aws:sts::<acct>:assumed-role/<name>/<session>).
 */
const matches = (principal: string, p: string) =>
  principal === p ||
  principal.endsWith(`:${p}`) ||
  principal.endsWith(`/${p}`) ||
  (p.startsWith('role/') && principal.includes(`:assumed-role/${p.slice('role/'.length).split('/').pop()}/`));

export function resolveRoles(who: CallerIdentity, cfg: RoleConfig = {}): Role[] {
  const out = new Set<string>();
  for (const g of who.cognitoGroups ?? []) out.add(g);
  const arn = who.iamPrincipalArn;
  if (arn) {
    // arn:aws:sts::<acct>:assumed-role/<role name>/<session> or arn:aws:iam::<acct>:role/<path>/<role name>
    const m = /:assumed-role\/([^/]+)\//.exec(arn) ?? /:role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (m && m[1]!.startsWith(IAM_ROLE_PREFIX)) out.add(m[1]!.slice(IAM_ROLE_PREFIX.length));
    for (const [p, roles] of Object.entries(cfg.principalRoles ?? {})) if (matches(arn, p)) roles.forEach((r) => out.add(r));
  }
  if (!arn && !who.cognitoGroups) for (const r of who.localRoles ?? []) out.add(r);
  return [...out].filter(isRole).sort();
}

/** Parses "head_of_sales,finance" (header or environment). */
export const parseRoleList = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
