/**
 * cdk-nag AwsSolutions-IAM5 (wildcard permissions): each finding is acknowledged on the policy that
 * holds it, with the reason that applies to that kind of wildcard. The finding ids embed resolved
 * references (logical ids, cross-stack outputs, the target region), so they are computed from the
 * final policy documents instead of being pasted by hand: each Allow statement is put alone into a
 * probe policy and cdk-nag's own rule (`rules.iam.IAMNoWildcardPermissions`, public API) names its
 * findings, so the ids are cdk-nag's by construction and each one is known with its statement's actions.
 *
 * Only the wildcard kinds listed in WILDCARD_RULES are acknowledged; any other wildcard stays a
 * finding and fails the synth.
 */
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules as nagRules } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { BANK_IMPORT_PREFIX, DOCUMENT_PREFIXES } from './stateful-stack.js';

export interface WildcardFinding {
  /** The finding as cdk-nag names it: `Action::s3:Get*` or `Resource::<Table.Arn>/index/*`. */
  finding: string;
  kind: 'Action' | 'Resource';
  value: string;
  /** The actions of the statement the wildcard sits in. */
  actions: string[];
}

export interface WildcardRule {
  name: string;
  /** Only policies under this construct path (default: any). */
  path?: RegExp;
  matches(f: WildcardFinding): boolean;
  reason: string;
}

const only = (actions: string[], allowed: readonly string[]) => actions.length > 0 && actions.every((a) => allowed.includes(a));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'];
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
/** Task-token answers; SendTaskHeartbeat is left out (nothing heartbeats the approval wait). */
const TASK_TOKEN_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'];
const OBJECT_PREFIXES = [...Object.values(DOCUMENT_PREFIXES), BANK_IMPORT_PREFIX];
const OBJECT_RE = new RegExp(`/(${OBJECT_PREFIXES.map(escapeRegExp).join('|')})\\*$`);

export const WILDCARD_RULES: WildcardRule[] = [
  {
    name: 'no-resource-level-permissions',
    matches: (f) => f.kind === 'Resource' && f.value === '*' && only(f.actions, [...XRAY_ACTIONS, ...LOG_DELIVERY_ACTIONS]),
    reason:
      'Active tracing and Step Functions execution logging: X-Ray trace submission (PutTraceSegments, PutTelemetryRecords, sampling) and the CloudWatch Logs vended-delivery actions have no resource-level permissions, so AWS documents Resource "*" for them. No data action is covered.',
  },
  {
    name: 'lambda-versions',
    matches: (f) => f.kind === 'Resource' && /^<[^>]+\.Arn>:\*$/.test(f.value) && only(f.actions, ['lambda:InvokeFunction']),
    reason: 'Invoke permission on one function and its versions/aliases (<function ARN>:*), which is how a qualified invoke is authorized; no other function is covered.',
  },
  {
    name: 'table-indexes',
    matches: (f) => f.kind === 'Resource' && f.value.endsWith('/index/*') && f.actions.every((a) => a.startsWith('dynamodb:')),
    reason: "Queries on the ledger table's own global secondary indexes (GSI1 debtors by due date, GSI2 collections); the wildcard stops at this table's /index/ path.",
  },
  {
    name: 'object-prefix',
    matches: (f) => f.kind === 'Resource' && OBJECT_RE.test(f.value) && only(f.actions, ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']),
    reason: `Object keys under one prefix of one bucket (${OBJECT_PREFIXES.join(', ')}): a function only reaches the documents it produces or reads, never the whole bucket.`,
  },
  {
    name: 'own-executions',
    matches: (f) =>
      f.kind === 'Resource' &&
      f.value.includes(':execution:') &&
      f.value.includes('{"Ref":"DunningRun') &&
      f.value.endsWith(':*') &&
      f.actions.every((a) => a.startsWith('states:')),
    reason:
      'Distributed Map: the DunningRun state machine manages its own child executions and Map Runs, whose names are generated at run time; the wildcard is limited to executions of this state machine.',
  },
  {
    name: 'task-token-answers',
    matches: (f) => f.kind === 'Resource' && f.value === '*' && only(f.actions, TASK_TOKEN_ACTIONS),
    reason:
      'Answering the ClaimCase approval wait (operator-api approve/reject route, claim-case when the decision predates the wait): states:SendTaskSuccess and SendTaskFailure have no resource-level permissions (no resource type in the Service Authorization Reference), so Resource "*" is the only form IAM accepts; the opaque task token is the capability, and no other Step Functions action is covered.',
  },
  {
    name: 'console-deployment',
    path: /\/Custom::CDKBucketDeployment[^/]*\/ServiceRole\//,
    matches: (f) => f.actions.every((a) => a.startsWith('s3:') || a === 'cloudfront:CreateInvalidation' || a === 'cloudfront:GetInvalidation'),
    reason:
      "CDK's BucketDeployment copy function (infra/constructs/console.ts), run only at deploy time: reads the console's asset zip from the CDK asset bucket, writes the console bucket's objects, and invalidates the console's CloudFront paths (CreateInvalidation has no resource-level scoping to one distribution in CDK's grant).",
  },
  {
    name: 'operator-routes',
    matches: (f) => f.kind === 'Resource' && f.value.endsWith('/*/*/operator/*') && only(f.actions, ['execute-api:Invoke']),
    reason: 'Operator access policy: every stage and method of the /operator/ routes of this one HTTP API, and nothing else on it (the webhooks need no IAM).',
  },
];

const normalize = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

type Statement = { Effect: string; Action?: string | string[]; Resource?: unknown };

/** Probe policies live in a stack of their own app, never in the app being synthesized. */
let probes: { stack: Stack; next: number } | undefined;

/** cdk-nag's IAM5 finding ids for one resolved statement (none for a Deny or a statement without wildcards). */
function statementFindings(statement: Statement): string[] {
  probes ??= { stack: new Stack(new App(), 'NagProbes'), next: 0 };
  const probe = new iam.CfnManagedPolicy(probes.stack, `Probe${probes.next++}`, { policyDocument: { Version: '2012-10-17', Statement: [statement] } });
  const result = nagRules.iam.IAMNoWildcardPermissions(probe);
  return Array.isArray(result) ? result : [];
}

/** The IAM5 findings of one policy document as cdk-nag's IAMNoWildcardPermissions names them, each with its statement's actions. */
export function wildcardFindings(policyDocument: { Statement?: Statement[] }): WildcardFinding[] {
  const out: WildcardFinding[] = [];
  for (const st of policyDocument.Statement ?? []) {
    const actions = normalize(st.Action);
    for (const finding of statementFindings(st)) {
      const [kind, value] = finding.startsWith('Action::') ? (['Action', finding.slice(8)] as const) : (['Resource', finding.slice(10)] as const);
      out.push({ finding, kind, value, actions });
    }
  }
  return out;
}

function policyDocumentsOf(node: CfnResource): unknown[] {
  const stack = Stack.of(node);
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) return [stack.resolve(node.policyDocument)];
  if (node instanceof iam.CfnRole) {
    return normalize(stack.resolve(node.policies) as { policyDocument: unknown }[]).map((p) => stack.resolve(stack.resolve(p).policyDocument));
  }
  return [];
}

/** What was acknowledged and what was left, for tests and reviews. */
export interface WildcardReport {
  acknowledged: { path: string; finding: string; rule: string }[];
  unmatched: { path: string; finding: string }[];
}

/**
 * Registers the acknowledgement pass on `scope`. It runs during synthesis, after cross-stack
 * references are resolved and before validation plugins (cdk-nag) read the acknowledgements.
 */
export function acknowledgeIamWildcards(scope: IConstruct, rules: WildcardRule[] = WILDCARD_RULES): WildcardReport {
  const report: WildcardReport = { acknowledged: [], unmatched: [] };
  let done = false;
  scope.node.addValidation({
    validate: () => {
      if (done) return [];
      done = true;
      for (const c of scope.node.findAll()) {
        if (!CfnResource.isCfnResource(c)) continue;
        for (const doc of policyDocumentsOf(c)) {
          for (const f of wildcardFindings(doc as Parameters<typeof wildcardFindings>[0])) {
            const rule = rules.find((r) => (!r.path || r.path.test(c.node.path)) && r.matches(f));
            if (!rule) {
              report.unmatched.push({ path: c.node.path, finding: f.finding });
              continue;
            }
            Validations.of(c).acknowledge({ id: `AwsSolutions-IAM5[${f.finding}]`, reason: rule.reason });
            report.acknowledged.push({ path: c.node.path, finding: f.finding, rule: rule.name });
          }
        }
      }
      return [];
    },
  });
  return report;
}
