/**
 * What every command shares: the I/O hooks (`main` is pure of process.*), argument parsing with the
 * common options, the global settings (endpoint, who acts, --json) and the command registry types.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  fetch: typeof fetch;
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';

/** Bad usage or input: exit code 2, the command's help is printed. */
export class UsageError extends Error {}

/** One command: `run` gets the arguments after the command name; `help` is its detailed help text. */
export interface Command {
  help: string;
  run(io: CliIo, args: string[]): Promise<number>;
}

/** A section of the overview (`claimflow help`) and the commands it lists. */
export interface CommandGroup {
  title: string;
  /** The section's lines of the overview, each indented by two spaces. */
  overview: string;
  commands: Record<string, Command>;
}

export interface Global {
  endpoint: string;
  by: string;
  json: boolean;
}

const G_OPTS = {
  endpoint: { type: 'string' },
  by: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** parseArgs with the common options (--endpoint, --by, --json, --help); a parse error is a UsageError. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...G_OPTS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function need<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === '') throw new UsageError(`missing ${what}`);
  return v;
}

export function globalsOf(io: CliIo, values: { endpoint?: string; by?: string; json?: boolean }): Global {
  return {
    endpoint: values.endpoint ?? io.env.CLAIMFLOW_ENDPOINT ?? DEFAULT_ENDPOINT,
    by: values.by ?? io.env.CLAIMFLOW_OPERATOR ?? io.env.USER ?? io.env.USERNAME ?? safeUserName(),
    json: !!values.json,
  };
}

/** --json prints the server's answer; otherwise `human` prints it for people. */
export const emit = (io: CliIo, g: Global, data: unknown, human: () => void) => {
  if (g.json) io.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else human();
};

/** The OS account name when $USER is not set (cron, containers); '' when even that is unknown. */
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  readFile: async (p) => new Uint8Array(await readFile(p)),
  writeFile: (p, b) => writeFile(p, b),
  fetch: globalThis.fetch,
});
