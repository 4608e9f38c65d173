/**
 * Loads rule data: the embedded defaults, extended by an optional user rules file (JSON). The file
 * path comes from `--rules <file>` (passed in as `file`) or env CLAIMFLOW_RULES_FILE. I/O lives here;
 * validation and merging are pure (functions/domain/rules). Errors are ValidationError naming the
 * offending entry (e.g. `rules file ./my.json.keyRates[0].ratePct`) or ConfigError for unreadable files.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { ConfigError, ValidationError } from '../domain/errors.js';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { defaultRules, extendRules, type RuleData } from '../domain/rules/index.js';

export const RULES_FILE_ENV = 'CLAIMFLOW_RULES_FILE';

export interface RulesLoaderOptions {
  /** Explicit path (CLI `--rules`); wins over the environment variable. */
  file?: string;
  /** The caller's environment (the CLI passes process.env); nothing here reads process.env itself. */
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => Promise<string>;
}

export async function loadRules(opts: RulesLoaderOptions = {}): Promise<RuleData> {
  const env = opts.env ?? {};
  const path = opts.file ?? env[RULES_FILE_ENV];
  const base = defaultRules();
  if (!path) return base;
  const read = opts.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  let text: string;
  try {
    text = await read(path);
  } catch (cause) {
    throw new ConfigError(`cannot read rules file ${path}${opts.file ? '' : ` (from ${RULES_FILE_ENV})`}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError([{ field: `rules file ${path}`, message: `is not valid JSON: ${(cause as Error).message}` }], { cause });
  }
  return extendRules(base, json, `rules file ${path}:`);
}

/**
 * Lambda: the embedded rules extended by the JSON rules document stored in an SSM parameter
 * (RULES_PARAMETER_NAME, docs/deploy.md "Adding a key rate"). Read once per cold start; a new key
 * rate reaches every function as its instances are replaced, with no code deploy.
 */
export async function loadRulesParameter(ssm: SSMClient, name: string): Promise<RuleData> {
  let text: string | undefined;
  try {
    text = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (cause) {
    // No parameter yet: the embedded rules (operators create it when a new key rate is published).
    if ((cause as { name?: string }).name === 'ParameterNotFound') return defaultRules();
    throw new ConfigError(`cannot read rules parameter ${name} (RULES_PARAMETER_NAME): ${(cause as Error).message}`, { cause });
  }
  if (!text?.trim() || text.trim() === '{}') return defaultRules();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError([{ field: `rules parameter ${name}`, message: `is not valid JSON: ${(cause as Error).message}` }], { cause });
  }
  return extendRules(defaultRules(), json, `rules parameter ${name}:`);
}
