/** The lawyers' calculator, in-process (JSON on stdin; no endpoint needed). */
import { runCalc } from '../calc.js';
import type { CommandGroup } from './io.js';

export const calc: CommandGroup = {
  title: 'Calculator (in-process, JSON on stdin)',
  overview: '  calc penalty|duty [--rules FILE] [--pretty] < input.json',
  commands: {
    calc: {
      help: `claimflow calc penalty|duty [--rules FILE] [--pretty] < input.json
  The lawyers' calculator (see docs/calc.md). Runs locally; no endpoint needed.`,
      async run(io, args) {
        const wantsHelp = args.includes('--help') || args.includes('-h');
        const out = await runCalc(args, wantsHelp ? '{}' : await io.readStdin(), { env: io.env });
        if (out.stdout) io.stdout(out.stdout);
        if (out.stderr) io.stderr(out.stderr);
        return out.exitCode;
      },
    },
  },
};
