/**
 * What runs where stays consistent (docs/ARCHITECTURE.md "Tooling"): the Lambdas run the Node major in
 * .nvmrc (runtime and esbuild target), and @types/node is the major of the engines floor, so the type
 * check only admits Node APIs that exist everywhere the code runs (the local stack, CLI and tests may
 * run on that older Node).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) out.push(await readFile(path.join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

describe('Node versions', () => {
  it('.nvmrc names the Lambda runtime and the bundle target; @types/node matches the engines floor', async () => {
    // Prepare
    const nvmrc = (await readFile(path.join(root, '.nvmrc'), 'utf8')).trim();
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    const infra = (await sources('infra')).join('\n');

    // Act
    const runtimes = [...infra.matchAll(/Runtime\.NODEJS_(\d+)_X/g)].map((m) => m[1]);
    const targets = [...infra.matchAll(/target: 'node(\d+)'/g)].map((m) => m[1]);
    const floor = /^>=(\d+)\./.exec(pkg.engines.node)?.[1];
    const types = /^\^?~?(\d+)\./.exec(pkg.devDependencies['@types/node'] ?? '')?.[1];

    // Assess
    expect(nvmrc).toMatch(/^\d+$/);
    expect(runtimes.length).toBeGreaterThan(0);
    expect(new Set([...runtimes, ...targets])).toEqual(new Set([nvmrc]));
    expect(types).toBe(floor);
  });
});
