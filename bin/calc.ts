/**
 * `claimflow calc penalty|duty`: the lawyers' calculator. JSON on stdin, JSON on stdout.
 * `runCalc` is pure of process.*: arguments, stdin text and I/O hooks are passed in, so it is testable.
 * Exit codes: 0 ok; 2 bad input (stderr names the field by JSON path); 1 unexpected failure.
 *
 *   claimflow calc penalty [--rules <file>] [--pretty] < input.json
 *   claimflow calc duty [--pretty] < input.json
 */
import { pathToFileURL } from 'node:url';
import { loadRules } from '../functions/adapters/rules-loader.js';
import { ClaimflowError, ValidationError } from '../functions/domain/errors.js';
import { stateDuty } from '../functions/domain/duty/index.js';
import { calculatePenalty } from '../functions/domain/penalties/index.js';

export interface CalcIo {
  /** Environment (for CLAIMFLOW_RULES_FILE); defaults to none. */
  env?: Record<string, string | undefined>;
  /** Reads a rules file; defaults to node:fs. */
  readFile?: (path: string) => Promise<string>;
}

export interface CalcOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const CALC_USAGE = `usage: claimflow calc <penalty|duty> [--rules <file>] [--pretty] < input.json
  penalty  {"rule": "contractual"|"interest395"|"housing", "charges": [{"amount", "lastDayToPay"}], "payments"?: [{"date", "amount"}],
            "calculateTo", "ratePctPerDay"?, "capPct"?, "rateMode"?: "paymentDate"|"asOf", "fixedRatePct"?,
            "moratoria"?: "default"|"none"|[{"from", "to", "onlyObligationsArisenBefore"?}], "rounding"?: "perPeriod"|"total"}
  duty     {"court": "general"|"arbitration", "price", "filedOn", "courtOrder"?: false}
  --rules <file>  JSON file adding key rates / moratoria / housing caps (or env CLAIMFLOW_RULES_FILE); see docs/calc.md
`;

const bad = (message: string): CalcOutcome => ({ exitCode: 2, stdout: '', stderr: `claimflow calc: ${message}\n` });

function invalid(err: ValidationError): CalcOutcome {
  const lines = err.fields.map((f) => `  ${f.field}: ${f.message}`).join('\n');
  return { exitCode: 2, stdout: '', stderr: `claimflow calc: invalid input\n${lines}\n` };
}

export async function runCalc(args: string[], stdin: string, io: CalcIo = {}): Promise<CalcOutcome> {
  const positional: string[] = [];
  let rulesFile: string | undefined;
  let pretty = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--rules') {
      rulesFile = args[++i];
      if (!rulesFile) return bad(`--rules needs a file path\n${CALC_USAGE}`);
    } else if (a.startsWith('--rules=')) rulesFile = a.slice('--rules='.length);
    else if (a === '--pretty') pretty = true;
    else if (a === '--help' || a === '-h') return { exitCode: 0, stdout: CALC_USAGE, stderr: '' };
    else positional.push(a);
  }
  const sub = positional[0];
  if (sub !== 'penalty' && sub !== 'duty') return bad(`unknown or missing subcommand ${sub ? `"${sub}"` : ''}\n${CALC_USAGE}`);

  let input: unknown;
  try {
    input = JSON.parse(stdin);
  } catch (e) {
    return bad(`stdin is not valid JSON: ${(e as Error).message}`);
  }
  const print = (v: unknown): CalcOutcome => ({ exitCode: 0, stdout: `${JSON.stringify(v, null, pretty ? 2 : undefined)}\n`, stderr: '' });

  try {
    if (sub === 'duty') return print(stateDuty(input));
    const rules = await loadRules({ ...(rulesFile ? { file: rulesFile } : {}), env: io.env ?? {}, ...(io.readFile ? { readFile: io.readFile } : {}) });
    return print(calculatePenalty(input, rules));
  } catch (err) {
    if (err instanceof ValidationError) return invalid(err);
    if (err instanceof ClaimflowError) return bad(err.message);
    return { exitCode: 1, stdout: '', stderr: `claimflow calc: unexpected error: ${(err as Error)?.message ?? String(err)}\n` };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Entry for `tsx bin/calc.ts penalty < in.json` (and for a `claimflow calc` dispatcher: call runCalc). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const out = await runCalc(argv, argv.includes('--help') || argv.includes('-h') ? '{}' : await readStdin(), { env: process.env });
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  return out.exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => {
    process.exitCode = code;
  });
}
