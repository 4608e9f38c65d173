/**
 * `claimflow`: the operator's command line. It talks to a claimflow endpoint: by default the local
 * stack (`npm start`, http://127.0.0.1:3000), or a deployed stack's operator API (`--endpoint
 * https://…/operator/`, requests signed with SigV4 from the usual AWS credentials). `calc` runs
 * in-process and needs no endpoint.
 *
 * `main(argv, io)` is pure of process.*: arguments, environment, stdin and I/O hooks are passed in.
 * Exit codes: 0 ok; 2 bad usage or input refused by the server (4xx, the bad fields are listed);
 * 1 server or network failure.
 *
 * The commands live in bin/cli/<area>.ts, each a CommandGroup (overview section, commands with their
 * help); a new area is one import and one entry in GROUPS. bin/cli/client.ts is the typed operator API
 * client, bin/cli/transport.ts the HTTP and SigV4 layer.
 */
import { pathToFileURL } from 'node:url';
import { audit } from './cli/audit.js';
import { calc } from './cli/calc.js';
import { consoleReads } from './cli/console.js';
import { cases } from './cli/cases.js';
import { help, overview } from './cli/help.js';
import { type CliIo, type Command, type CommandGroup, processIo, UsageError } from './cli/io.js';
import { ledger } from './cli/ledger.js';
import { pauses } from './cli/pauses.js';
import { credit } from './cli/credit.js';
import { reports } from './cli/reports.js';
import { runs } from './cli/runs.js';
import { ServerError } from './cli/transport.js';

export { type CliIo, DEFAULT_ENDPOINT, processIo } from './cli/io.js';
export { OPERATOR_HEADER, operatorBase } from './cli/transport.js';

/** The command groups, in the order of the overview. */
const GROUPS: readonly CommandGroup[] = [runs, pauses, ledger, cases, consoleReads, reports, credit, audit, calc];

const commands: Record<string, Command> = Object.assign({}, ...GROUPS.map((g) => g.commands));

export const USAGE = overview(GROUPS);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    const topic = rest[0] ? commands[rest[0]] : undefined;
    if (cmd === 'help' && topic) return help(io, topic.help);
    io.stdout(USAGE);
    return cmd ? 0 : 2;
  }
  const command = commands[cmd];
  if (!command) {
    io.stderr(`claimflow: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(io, rest);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`claimflow ${cmd}: ${err.message}\n\n${command.help}\n`);
      return 2;
    }
    if (err instanceof ServerError) {
      io.stderr(`claimflow ${cmd}: ${err.message}\n`);
      return err.result.status >= 500 ? 1 : 2;
    }
    io.stderr(`claimflow ${cmd}: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`claimflow: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
