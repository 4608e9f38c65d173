/**
 * Issue 17 item 6: Lambda reports a thrown error's `name` as its errorType, and the state machines'
 * Retry and Catch match on it (TransientError). The errors take their name from their class
 * (`this.name = new.target.name`), so a minifier that renames classes turns `TransientError` into
 * something like `En`, and no Retry on TransientError ever fires in AWS.
 *
 * This bundles real code with esbuild exactly as the stack does (infra/constructs/functions.ts
 * bundlingOptions: minified ESM for Node 24) and once more with the same options but without
 * `keepNames`: the second shows the failure mode (the names are mangled), the first that the
 * project's setting keeps them. Removing keepNames from bundlingOptions fails the first case.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundlingOptions, HANDLERS_DIR } from '../../infra/constructs/functions.js';
import { dunningRunAsl, STATE, TRANSIENT_ERRORS } from '../../workflows/dunning-run.js';
import { REPO_ROOT } from './support.js';

/** The esbuild options CDK's NodejsFunction derives from a function's BundlingOptions (the ones the stack sets). */
function esbuildOptionsOf(b: nodejs.BundlingOptions): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: b.format === 'esm' ? 'esm' : 'cjs',
    target: b.target ?? 'node24',
    minify: b.minify ?? false,
    keepNames: b.keepNames ?? false,
    sourcemap: b.sourceMap ?? false,
    external: b.externalModules ?? [],
    mainFields: b.mainFields ?? [],
    ...(b.banner ? { banner: { js: b.banner } } : {}),
    logLevel: 'silent',
  };
}

const project = esbuildOptionsOf(bundlingOptions(false));
const withoutKeepNames: BuildOptions = { ...project, keepNames: false };

let dir: string;

/** Bundles `entry` (a handler file or a snippet resolved from the repository root) with `opts` into dir/name.mjs. */
async function bundle(name: string, opts: BuildOptions, entry: { file: string } | { snippet: string }): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    ...opts,
    outfile,
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.snippet, resolveDir: REPO_ROOT, sourcefile: `${name}.ts`, loader: 'ts' } }),
  });
  return outfile;
}

/** Loads a bundle in a fresh Node process (as Lambda does) and runs `script` with the module as `m`. */
function runIn(file: string, script: string, env: Record<string, string> = {}): string {
  const code = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); ${script}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-central-1', NODE_OPTIONS: '', ...env },
    stdio: 'pipe',
    timeout: 60_000,
  })
    .toString()
    .trim()
    .split('\n')
    .at(-1)!;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'claimflow-names-'));
  // Lambda provides @aws-sdk/* (external in the bundle); here the repository's node_modules stands in.
  const link = join(dir, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(REPO_ROOT, 'node_modules'), link, 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
});

/** A TransientError as the SES mailer or a throttled DynamoDB call raises it, thrown from a bundled module. */
const THROWS_TRANSIENT = `import { TransientError } from './functions/domain/errors.ts';
export const handler = async () => { throw new TransientError('SES throttled the send'); };`;
const errorName = `try { await m.handler({}, { functionName: 'probe', awsRequestId: 'probe' }); console.log('returned'); } catch (e) { console.log(e.name); }`;

describe('error names as Lambda reports them, after bundling', () => {
  it('without keepNames, minification mangles TransientError, so the Retry on TransientError would never match (the failure mode)', async () => {
    // Prepare
    const file = await bundle('transient-mangled', withoutKeepNames, { snippet: THROWS_TRANSIENT });

    // Act
    const name = runIn(file, errorName);

    // Assess
    expect(name).not.toBe('TransientError');
    expect(name.length).toBeLessThan(4);
    expect(TRANSIENT_ERRORS).not.toContain(name);
  });

  it("with the project's bundling options the name survives and is one the DunningRun's Retry matches", async () => {
    // Prepare
    const file = await bundle('transient-kept', project, { snippet: THROWS_TRANSIENT });
    const decide = (dunningRunAsl() as { States: Record<string, any> }).States[STATE.each].ItemProcessor.States[STATE.decide];

    // Act
    const name = runIn(file, errorName);
    const retried = (decide.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);

    // Assess
    expect(name).toBe('TransientError');
    expect(retried).toContain(name);
  });

  it('a real handler (find-debtors) bundled both ways: ValidationError survives only with the project setting', async () => {
    // Prepare
    const entry = { file: join(HANDLERS_DIR, 'find-debtors.ts') };
    const [kept, mangled] = await Promise.all([bundle('find-debtors-kept', project, entry), bundle('find-debtors-mangled', withoutKeepNames, entry)]);
    const env = { TABLE_NAME: 'claimflow-dev-ledger', DUNNING_POLICY: 'wholesale' };

    // Act: an event without a run date fails validation before any AWS call.
    const keptName = runIn(kept, errorName, env);
    const mangledName = runIn(mangled, errorName, env);

    // Assess
    expect(keptName).toBe('ValidationError');
    expect(mangledName).not.toBe('ValidationError');
    expect(mangledName).toMatch(/^[\w$]{1,3}$/);
  }, 120_000);
});
