/**
 * The console user behind a request authorized by API Gateway's JWT authorizer (Cognito user pool):
 * name from the e-mail (or user name), roles from the user's Cognito groups ("cognito:groups"; API
 * Gateway passes a list claim as a string "[clerk legal]"). Groups that are not roles are ignored.
 */
import { isRole } from '../domain/roles.js';
import type { Identity } from './router.js';

export function identityFromJwtClaims(claims: Record<string, unknown> | undefined): Identity | undefined {
  if (!claims) return undefined;
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) return undefined;
  const by = [claims.email, claims['cognito:username'], claims.username, sub].find((v): v is string => typeof v === 'string' && v.length > 0)!;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  return { by, roles: groups.filter(isRole), subject: `cognito:${sub}` };
}

/** The Step Functions console page of an execution of the state machine `stateMachineArn`. */
export function stepFunctionsExecutionUrl(stateMachineArn: string): (executionName: string) => string {
  const [, , , region, account, , name] = stateMachineArn.split(':');
  return (executionName) => {
    const arn = `arn:aws:states:${region}:${account}:execution:${name}:${executionName}`;
    return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(arn)}`;
  };
}
