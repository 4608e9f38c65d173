/**
 * The IAM cross-check's two halves (issue 17, "Tests that keep it so"): what a recorded AWS SDK command
 * needs (its IAM action, the resource it names, the condition keys it carries) and whether a role's
 * synthesized policy statements grant it. Used by test/adapters/iam-crosscheck.test.ts, which runs every
 * function's handler and records the commands it actually sends.
 *
 * Resources are compared as strings: a statement's Resource is flattened (support.ts flattenJoin, so a
 * cross-stack reference reads `${{"Fn::GetStackOutput":…}}`), and a command's resource is built from the
 * same flattened ARN of the resource its concrete name stands for (`arns`), plus the key, index or
 * name. `*` in a statement matches any run of characters, as in IAM.
 */
import { asArray, flattenJoin } from '../infra/support.js';

/** One SDK command a handler sent: the client's service, the command name without "Command", its input. */
export interface SentCommand {
  service: 'dynamodb' | 's3' | 'ses' | 'sfn' | 'sqs' | 'secretsmanager' | 'ssm' | 'lambda' | 'events';
  command: string;
  input: Record<string, any>;
}

/** An IAM authorization a command needs. */
export interface Need {
  action: string;
  resource: string;
  /** Condition keys the request carries (s3:prefix, ses:FromAddress). */
  context?: Record<string, string>;
  /** The command it came from, for messages. */
  from: string;
}

export interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Concrete names the handlers were given → the flattened template ARN of the resource each stands for. */
export interface ResourceArns {
  tables: Record<string, string>;
  buckets: Record<string, string>;
  /** Queue URL → queue ARN. */
  queues: Record<string, string>;
  /** Secret id (ARN) → secret ARN. */
  secrets: Record<string, string>;
  /** State machine ARN → its ARN in the template. */
  stateMachines: Record<string, string>;
  /** Function name → function ARN. */
  functions: Record<string, string>;
  /** Event bus name → bus ARN. */
  buses: Record<string, string>;
  /** The ARN prefix of this account and region, e.g. arn:aws:ssm:eu-central-1:123456789012 without the service: `arn:aws:<service>:eu-central-1:123456789012`. */
  arn: (service: string) => string;
}

/** Commands that need no IAM action of their own (none so far: an entry here needs a written reason). */
const FREE: Record<string, string> = {};

const known = <T>(map: Record<string, T>, key: string, what: string): T => {
  const v = map[key];
  if (v === undefined) throw new Error(`${what} ${key} is not one the handlers were given`);
  return v;
};

/** The authorizations one recorded command needs. Unknown commands throw: the map must learn them. */
export function needsOf(c: SentCommand, arns: ResourceArns): Need[] {
  const from = `${c.service}:${c.command}`;
  if (FREE[from]) return [];
  const i = c.input;
  const need = (action: string, resource: string, context?: Record<string, string>): Need => ({ action, resource, from, ...(context ? { context } : {}) });
  switch (c.service) {
    case 'dynamodb': {
      const table = (name: string) => known(arns.tables, name, 'table');
      const onTable = (action: string) => need(action, i.IndexName ? `${table(i.TableName)}/index/${i.IndexName}` : table(i.TableName));
      switch (c.command) {
        case 'GetItem':
        case 'PutItem':
        case 'UpdateItem':
        case 'DeleteItem':
        case 'Query':
        case 'Scan':
          return [onTable(`dynamodb:${c.command}`)];
        case 'BatchGetItem':
        case 'BatchWriteItem':
          return Object.keys(i.RequestItems ?? {}).map((t) => need(`dynamodb:${c.command}`, table(t)));
        case 'TransactGetItems':
          return (i.TransactItems ?? []).map((x: any) => need('dynamodb:GetItem', table(x.Get.TableName)));
        case 'TransactWriteItems':
          return (i.TransactItems ?? []).map((x: any) => {
            const [kind, part] = Object.entries(x)[0] as [string, { TableName: string }];
            const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind];
            if (!action) throw new Error(`TransactWriteItems part ${kind} is not mapped`);
            return need(`dynamodb:${action}`, table(part.TableName));
          });
      }
      break;
    }
    case 's3': {
      const bucket = () => known(arns.buckets, i.Bucket, 'bucket');
      switch (c.command) {
        case 'GetObject':
        case 'HeadObject':
          return [need(i.VersionId ? 's3:GetObjectVersion' : 's3:GetObject', `${bucket()}/${i.Key}`)];
        case 'PutObject':
          return [need('s3:PutObject', `${bucket()}/${i.Key}`)];
        case 'DeleteObject':
          return [need(i.VersionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject', `${bucket()}/${i.Key}`)];
        case 'ListObjectsV2':
          return [need('s3:ListBucket', bucket(), { 's3:prefix': i.Prefix ?? '' })];
      }
      break;
    }
    case 'ses': {
      if (c.command === 'SendRawEmail' || c.command === 'SendEmail') {
        const source = String(i.Source ?? '');
        const domain = source.split('@')[1] ?? source;
        const context = { 'ses:FromAddress': source };
        const identity = need(`ses:${c.command}`, `${arns.arn('ses')}:identity/${domain}`, context);
        return i.ConfigurationSetName ? [identity, need(`ses:${c.command}`, `${arns.arn('ses')}:configuration-set/${i.ConfigurationSetName}`, context)] : [identity];
      }
      break;
    }
    case 'sfn':
      if (c.command === 'StartExecution') return [need('states:StartExecution', known(arns.stateMachines, i.stateMachineArn, 'state machine'))];
      // Task-token answers have no resource-level permissions: AWS authorizes them on "*".
      if (c.command === 'SendTaskSuccess' || c.command === 'SendTaskFailure' || c.command === 'SendTaskHeartbeat') return [need(`states:${c.command}`, '*')];
      break;
    case 'sqs':
      if (c.command === 'SendMessage') return [need('sqs:SendMessage', known(arns.queues, i.QueueUrl, 'queue'))];
      break;
    case 'secretsmanager':
      if (c.command === 'GetSecretValue') return [need('secretsmanager:GetSecretValue', known(arns.secrets, i.SecretId, 'secret'))];
      break;
    case 'ssm':
      if (c.command === 'GetParameter') return [need('ssm:GetParameter', `${arns.arn('ssm')}:parameter/${String(i.Name).replace(/^\//, '')}`)];
      break;
    case 'events':
      if (c.command === 'PutEvents')
        return (i.Entries ?? []).map((e: { EventBusName?: string }) => need('events:PutEvents', known(arns.buses, e.EventBusName ?? 'default', 'event bus')));
      break;
    case 'lambda':
      if (c.command === 'Invoke') return [need('lambda:InvokeFunction', known(arns.functions, i.FunctionName, 'function'))];
      break;
  }
  throw new Error(`no IAM mapping for ${from}: add it to test/support/iam.ts`);
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 's');

/** Whether the statement's conditions hold for a request with `context` (the operators the stack uses; others never hold). */
function conditionsHold(s: Statement, context: Record<string, string> = {}): boolean {
  for (const [op, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, want] of Object.entries(keys)) {
      const have = context[key];
      if (have === undefined) return false;
      const values = asArray(want);
      const ok =
        op === 'StringLike'
          ? values.some((v) => glob(v).test(have))
          : op === 'StringEquals'
            ? values.includes(have)
            : op === 'StringEqualsIgnoreCase'
              ? values.some((v) => v.toLowerCase() === have.toLowerCase())
              : false;
      if (!ok) return false;
    }
  }
  return true;
}

/** The statements that allow `need` (action, resource and conditions). */
export function grantsOf(statements: Statement[], need: Need): Statement[] {
  return statements.filter(
    (s) =>
      (s.Effect ?? 'Allow') === 'Allow' &&
      asArray(s.Action).some((a) => glob(a).test(need.action)) &&
      asArray(s.Resource).some((r) => glob(flattenJoin(r)).test(need.resource)) &&
      conditionsHold(s, need.context),
  );
}

/** What a role's statements do not grant among the needs (deduplicated by action and resource). */
export function missingGrants(statements: Statement[], needs: Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((n) => {
    const k = `${n.action} ${n.resource}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return grantsOf(statements, n).length === 0;
  });
}

/**
 * Granted actions that no need used, per statement: `action resource…` strings. An action counts as
 * used when a need with it falls under any resource of the statement (a table statement names the
 * table and its indexes: a GetItem on the table uses it).
 */
export function unusedGrants(statements: Statement[], needs: Need[]): string[] {
  const out = new Set<string>();
  for (const s of statements) {
    if ((s.Effect ?? 'Allow') !== 'Allow') continue;
    const resources = asArray(s.Resource).map((r) => flattenJoin(r));
    for (const a of asArray(s.Action)) {
      const used = needs.some((n) => glob(a).test(n.action) && resources.some((res) => glob(res).test(n.resource)) && conditionsHold(s, n.context));
      if (!used) out.add(`${a} ${resources.join(' ')}`);
    }
  }
  return [...out].sort();
}
