/**
 * Builds both claimflow stacks into an app (used by infra/app.ts and the infra tests) and registers
 * cdk-nag's AwsSolutions checks.
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeIamWildcards, type WildcardReport } from './nag.js';
import { loadConfig, namePrefix, type ClaimflowConfig } from './config.js';
import { ServiceStack } from './service-stack.js';
import { StatefulStack } from './stateful-stack.js';

export interface Claimflow {
  config: ClaimflowConfig;
  stateful: StatefulStack;
  service: ServiceStack;
  /** Filled during synthesis: the IAM5 wildcards acknowledged (and any left for cdk-nag to report). */
  wildcards: WildcardReport;
}

export interface BuildOptions {
  /** Defaults to CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (environment-agnostic when unset). */
  env?: Environment;
  /** Register cdk-nag AwsSolutions (default true). */
  nag?: boolean;
}

/** Stack names: claimflow-<stage>-stateful and claimflow-<stage>-service. */
export function stackNames(cfg: Pick<ClaimflowConfig, 'stage'>): { stateful: string; service: string } {
  const p = namePrefix(cfg);
  return { stateful: `${p}-stateful`, service: `${p}-service` };
}

export function buildClaimflow(app: App, opts: BuildOptions = {}): Claimflow {
  const config = loadConfig(app);
  const env = opts.env ?? envFromProcess();
  const names = stackNames(config);
  const tags = { project: 'claimflow', stage: config.stage };

  const stateful = new StatefulStack(app, names.stateful, {
    config,
    env,
    description: `claimflow ${config.stage}: ledger table, document and import buckets, webhook secrets (retained)`,
    terminationProtection: config.retainData,
    tags,
  });
  const service = new ServiceStack(app, names.service, {
    config,
    env,
    description: `claimflow ${config.stage}: functions, HTTP API, DunningRun and ClaimCase state machines, schedule, SES, DLQs, alarms`,
    table: stateful.table,
    documentsBucket: stateful.documentsBucket,
    importsBucket: stateful.importsBucket,
    webhookSecrets: stateful.webhookSecrets,
    tags,
  });
  service.addStackDependency(stateful);

  const wildcards = acknowledgeIamWildcards(app);
  if (opts.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful, service, wildcards };
}

function envFromProcess(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;
}
