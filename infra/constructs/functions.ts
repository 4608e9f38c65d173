/**
 * The Lambda functions of the service: one NodejsFunction per handler entry in functions/handlers/,
 * each with its own role (no managed policies) and its own log group, bundled as ESM for Node 24 on
 * ARM64. Grants and environment are added per function by the service stack.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TASK_TIMEOUTS } from '../../workflows/dunning-run.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HANDLERS_DIR = path.join(REPO_ROOT, 'functions', 'handlers');

/** Where the bundle of each rendering function carries the letter templates (CLAIMFLOW_TEMPLATES_DIR). */
export const BUNDLED_TEMPLATES_DIR = '/var/task/templates';

/** Prepended to every ESM bundle: `require`, `__filename` and `__dirname` for bundled CommonJS code. */
export const ESM_BANNER = [
  "import { createRequire as __cfCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cfFileURLToPath } from 'node:url';",
  "import { dirname as __cfDirname } from 'node:path';",
  'const require = __cfCreateRequire(import.meta.url);',
  'const __filename = __cfFileURLToPath(import.meta.url);',
  'const __dirname = __cfDirname(__filename);',
].join(' ');

export interface HandlerSpec {
  file: string;
  description: string;
  timeout: number;
  memory: number;
  renders?: boolean;
  /**
   * V8's old-space limit in MB (NODE_OPTIONS --max-old-space-size), for functions that hold a whole
   * book in memory. Without it V8 sizes the heap from the machine's memory by its own rule, which
   * may be well below the function's memory; with it a report that outgrows the heap fails as a
   * JavaScript heap error in the log rather than an opaque kill. Leave ~1 GB for buffers outside it.
   */
  heapMb?: number;
}

/**
 * The functions, keyed by role. `file` is the entry in functions/handlers/ (export `handler`).
 *
 * claimCase serves the three task states of the ClaimCase state machine (its handler dispatches on
 * `action`: record, wait, package). The wait state is a `.waitForTaskToken` invoke: the function
 * stores the token on the case, and operator-api's approve/reject route answers it
 * (`states:SendTaskSuccess`, see ClaimflowWorkflows.grantTaskTokenAnswers).
 */
export const HANDLERS = {
  webhook: { file: 'webhook.ts', description: 'Receives signed billing and payment-system webhooks and records them in the ledger', timeout: 15, memory: 512 },
  operatorApi: {
    file: 'operator-api.ts',
    description: 'Operator actions: pauses, promises, schedules, approvals, runs, statements, calculator',
    timeout: 29,
    memory: 1024,
    renders: true,
  },
  bankImport: { file: 'bank-import.ts', description: 'Imports an uploaded 1C client-bank statement into the ledger', timeout: 300, memory: 1024 },
  startRun: { file: 'start-run.ts', description: 'Starts the dunning run for the scheduled date (one execution per date)', timeout: 30, memory: 256 },
  findDebtors: { file: 'find-debtors.ts', description: 'Finds customers with debts due, one batch at a time', timeout: TASK_TIMEOUTS.findDebtors.toSeconds(), memory: 512 },
  processCustomer: {
    file: 'process-customer.ts',
    description: 'Decides and sends the letters due to one customer',
    timeout: TASK_TIMEOUTS.processCustomer.toSeconds(),
    memory: 1024,
    renders: true,
  },
  summarizeRun: {
    file: 'summarize-run.ts',
    description: 'Adds up the run, stores the print batch and emails the digest',
    timeout: TASK_TIMEOUTS.summarizeRun.toSeconds(),
    memory: 3008,
    renders: true,
  },
  sesFeedback: { file: 'ses-feedback.ts', description: 'Marks contacts undeliverable on SES bounces and complaints', timeout: 30, memory: 256 },
  weeklySummary: {
    file: 'weekly-summary.ts',
    description: 'Builds the weekly receivables summary (PDF with charts) and emails it to management',
    // It also builds report jobs and the nightly snapshot, which hold every customer's book: at
    // 1M invoices (200,000 customers) the books are ≈ 0.8 GB of heap, aging + efficiency peak at
    // ≈ 1.7 GB and the process at ≈ 4.3 GB RSS with the XLSX (measured, docs/ARCHITECTURE.md).
    timeout: 900,
    memory: 6144,
    heapMb: 5120,
    renders: true,
  },
  creditApi: {
    file: 'credit-api.ts',
    description: 'Credit control for order systems: POST /credit/checks and /credit/reservations (HMAC-signed)',
    timeout: 10,
    memory: 512,
  },
  creditJobs: {
    file: 'credit-jobs.ts',
    description: 'Credit control schedules: delivers outgoing credit events, sweeps credit snapshots',
    timeout: 900,
    memory: 1024,
  },
  claimCase: {
    file: 'claim-case.ts',
    description: 'ClaimCase steps: records a case for the legal team, holds the approval task token, builds the litigation package',
    timeout: 300,
    memory: 1536,
    renders: true,
  },
} as const satisfies Record<string, HandlerSpec>;
export type HandlerRole = keyof typeof HANDLERS;

/** The esbuild options every function is bundled with (the bundled-handler test builds with the same). */
export function bundlingOptions(renders: boolean): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    mainFields: ['module', 'main'],
    // Error classes take their name from the class (`this.name = new.target.name`): Lambda reports it
    // as errorType and the state machines' Retry/Catch match on it (TransientError), so minification
    // must keep class and function names.
    keepNames: true,
    // CommonJS dependencies bundled into ESM still call require() and read __dirname: give them both.
    banner: ESM_BANNER,
    // @aws-sdk/* stays external (the Node 24 runtime ships SDK v3).
    externalModules: ['@aws-sdk/*'],
    ...(renders ? { commandHooks: copyAssets() } : {}),
  };
}

export interface ServiceFunctionProps {
  /** The role key (HANDLERS), used in the role's description. */
  name: string;
  spec: HandlerSpec;
  stage: string;
  logRemoval: RemovalPolicy;
  environment: Record<string, string>;
}

/** One function per handler entry, with its own role and log group (no managed policies). */
export class ServiceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const spec = props.spec;
    const entry = path.join(HANDLERS_DIR, spec.file);
    if (!existsSync(entry)) throw new Error(`Handler entry ${path.relative(REPO_ROOT, entry)} is missing (function ${props.name})`);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: props.logRemoval });
    // A role without AWSLambdaBasicExecutionRole: logs go to this function's own log group only.
    const fnRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `claimflow ${props.stage} ${props.name}`,
    });
    logGroup.grantWrite(fnRole);
    const renders = spec.renders === true;
    if (spec.heapMb !== undefined && (spec.heapMb < 128 || spec.heapMb > spec.memory - 512))
      throw new Error(`Function ${props.name}: heapMb ${spec.heapMb} must leave at least 512 MB of its memory (${spec.memory} MB) outside the heap`);
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memory,
      timeout: Duration.seconds(spec.timeout),
      tracing: lambda.Tracing.ACTIVE,
      role: fnRole,
      logGroup,
      // No reserved concurrency: new accounts often have a regional limit of 10, and reserving any
      // of it fails the deploy or starves the other functions. The run is bounded by the Map's
      // MaxConcurrency, the webhooks by the stage throttle.
      environment: {
        ...props.environment,
        ...(renders ? { CLAIMFLOW_TEMPLATES_DIR: BUNDLED_TEMPLATES_DIR } : {}),
        ...(spec.heapMb ? { NODE_OPTIONS: [props.environment.NODE_OPTIONS, `--max-old-space-size=${spec.heapMb}`].filter(Boolean).join(' ') } : {}),
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: bundlingOptions(renders),
    });
  }
}

export { grantObjects } from './bindings.js';

/**
 * Files the rendering code reads at run time, copied next to the bundle:
 *  - templates/ (read through CLAIMFLOW_TEMPLATES_DIR);
 *  - pdfmake's package.json and Roboto fonts under node_modules/pdfmake/, because the PDF code finds
 *    the fonts with require.resolve('pdfmake/package.json') (Cyrillic needs these TTFs).
 */
export const RENDER_ASSETS = ['templates', 'node_modules/pdfmake/package.json', 'node_modules/pdfmake/fonts/Roboto'] as const;

function copyAssets(): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) =>
      RENDER_ASSETS.map((rel) => {
        const from = path.posix.join(inputDir, rel);
        const to = path.posix.join(outputDir, rel);
        return `mkdir -p "${path.posix.dirname(to)}" && cp -R "${from}" "${to}"`;
      }),
  };
}
