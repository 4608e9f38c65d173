/** Help text: the overview assembled from the command groups, the common options, per-command help. */
import { type CliIo, type CommandGroup, DEFAULT_ENDPOINT } from './io.js';

export const COMMON = `Common options:
  --endpoint URL   claimflow endpoint (env CLAIMFLOW_ENDPOINT; default ${DEFAULT_ENDPOINT}, the local stack).
                   A deployed stack: the OperatorApiUrl output, e.g. https://abc123.execute-api.eu-central-1.amazonaws.com/operator/
                   (requests are SigV4-signed with your AWS credentials: env, profile, SSO …)
  --by NAME        who acts, recorded in the audit trail (default $USER)
  --json           print the server's JSON instead of a table
  -h, --help       help for the command`;

/** `claimflow help`: every group's section, in order, then the common options. */
export function overview(groups: readonly CommandGroup[]): string {
  return `claimflow — receivables dunning and collections: operator commands

Usage: claimflow <command> [arguments] [options]

${groups.map((g) => `${g.title}\n${g.overview}`).join('\n\n')}

${COMMON}
`;
}

/** Prints a command's help and the common options; exit code 0. */
export function help(io: CliIo, text: string): number {
  io.stdout(`${text}\n\n${COMMON}\n`);
  return 0;
}

/** Prints the first line of a command's help to stderr; exit code 2. */
export function usage(io: CliIo, cmd: string, text: string): number {
  io.stderr(`claimflow ${cmd}: ${text.split('\n')[0]}\n`);
  return 2;
}
