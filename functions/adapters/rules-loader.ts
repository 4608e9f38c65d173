/**
 * Loads rule data: the embedded defaults, extended by an optional user rules file (JSON). The file
 * path comes from `--rules <file>` (passed in as `file`) or env CLAIMFLOW_RULES_FILE. I/O lives here;
 * validation and merging are pure (functions/domain/rules). Errors are ValidationError naming the
 * offending entry (e.g. `rules file ./my.json.keyRates[0].ratePct`) or ConfigError for unreadable files.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { ConfigError, ValidationError } from '../domain/errors.js';
import { defaultRules, extendRules, type RuleData } from '../domain/rules/index.js';

export const RULES_FILE_ENV = 'CLAIMFLOW_RULES_FILE';

export interface RulesLoaderOptions {
  /** Explicit path (CLI `--rules`); wins over the environment variable. */
  file?: string;
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => Promise<string>;
}

export async function loadRules(opts: RulesLoaderOptions = {}): Promise<RuleData> {
  const env = opts.env ?? process.env;
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
