/**
 * Where a caller's roles come from (functions/operator/caller-roles.ts, docs/credit.md "Roles"): Cognito
 * groups of a console user; for IAM callers the role name `claimflow-<role>` or a configured principal
 * map (a user, or every session of a role); locally the configured header. Unknown names never count.
 */
import { describe, expect, it } from 'vitest';
import { parseRoleList, resolveRoles } from '../../../functions/operator/caller-roles.js';

describe('caller roles', () => {
  it('console users: their Cognito groups that name roles', () => {
    // Assess
    expect(resolveRoles({ cognitoGroups: ['head_of_sales', 'Everyone'] })).toEqual(['head_of_sales']);
  });

  it('IAM callers: an assumed role named claimflow-<role>, or the principal map (user, role name, any session of the role)', () => {
    // Prepare
    const principalRoles = { 'user/anna': ['finance'], 'role/sales-head': ['head_of_sales'], 'arn:aws:iam::123456789012:user/lev': ['legal'] };
    // Act
    const assumed = resolveRoles({ iamPrincipalArn: 'arn:aws:sts::123456789012:assumed-role/claimflow-head_of_sales/olga' });
    const user = resolveRoles({ iamPrincipalArn: 'arn:aws:iam::123456789012:user/anna' }, { principalRoles });
    const session = resolveRoles({ iamPrincipalArn: 'arn:aws:sts::123456789012:assumed-role/sales-head/olga' }, { principalRoles });
    const exact = resolveRoles({ iamPrincipalArn: 'arn:aws:iam::123456789012:user/lev' }, { principalRoles });
    const other = resolveRoles({ iamPrincipalArn: 'arn:aws:sts::123456789012:assumed-role/sales-head-deputy/x' }, { principalRoles });
    // Assess
    expect([assumed, user, session, exact, other]).toEqual([['head_of_sales'], ['finance'], ['head_of_sales'], ['legal'], []]);
  });

  it('an IAM or console caller cannot add roles with the local header; locally the header is the configured identity', () => {
    // Assess
    expect(resolveRoles({ iamPrincipalArn: 'arn:aws:iam::123456789012:user/mallory', localRoles: ['head_of_sales'] })).toEqual([]);
    expect(resolveRoles({ cognitoGroups: ['clerk'], localRoles: ['head_of_sales'] })).toEqual(['clerk']);
    expect(resolveRoles({ localRoles: parseRoleList('head_of_sales, boss') })).toEqual(['head_of_sales']);
  });
});
