/** Runs the CLI in-process (bin/cli.ts `main`) with its output and written files captured. */
import { main, type CliIo } from '../../bin/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Files the command wrote (--out), by path. */
  files: Map<string, Uint8Array>;
}

/** `claimflow <args>` with `env` (CLAIMFLOW_ENDPOINT, USER, CLAIMFLOW_POLL_MS …) over `fetchImpl` (default: the real fetch). */
export async function runCli(args: string[], env: Record<string, string | undefined>, fetchImpl: typeof fetch = globalThis.fetch): Promise<CliRun> {
  const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env,
    readStdin: async () => '',
    readFile: async () => new Uint8Array(),
    writeFile: async (p, b) => void out.files.set(p, b),
    fetch: fetchImpl,
  };
  return { code: await main(args, io), ...out };
}
