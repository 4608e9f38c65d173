#!/usr/bin/env node
// `claimflow` (package.json "bin"): runs bin/cli.ts through tsx, forwarding arguments, stdio, the
// exit code and SIGINT/SIGTERM. Paths resolve relative to this file, so it works from any directory.
// A 64 MB young generation: a dunning run allocates many short-lived objects (about -10 % CPU, see
// docs/ARCHITECTURE.md "Speed").
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', tsx, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (child.exitCode === null) child.kill(sig);
  });
}
child.on('error', (err) => {
  process.stderr.write(`claimflow: cannot start: ${err.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
