/**
 * The layer rules of functions/ (docs/ARCHITECTURE.md, "Folders") and a checker over source files:
 * which folder may import which. test/unit/layers.test.ts runs it over the repository and over
 * synthetic files (to show it catches a forbidden import).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A layer: the folder under functions/ (or a top-level file's name), or a folder outside functions/. */
export type Layer = string;

/** What each layer of functions/ may import from the repository (anything else: only npm packages). */
export const ALLOWED: Record<Layer, readonly Layer[]> = {
  domain: ['domain'],
  util: ['util'],
  ports: ['ports', 'domain', 'letters', 'render'],
  letters: ['letters', 'domain'],
  render: ['render', 'letters', 'domain'],
  ingest: ['ingest', 'ports', 'util', 'domain'],
  app: ['app', 'ports', 'util', 'domain', 'letters', 'render', 'ingest'],
  // Adapters implement ports; only composition modules (compose*.ts) wire use cases (app) to them.
  adapters: ['adapters', 'ports', 'util', 'domain', 'letters', 'render', 'ingest', 'config', 'workflows'],
  handlers: ['handlers', 'adapters', 'app', 'ports', 'util', 'domain', 'letters', 'render', 'ingest', 'operator', 'config', 'workflows'],
  operator: ['operator', 'adapters', 'app', 'ports', 'util', 'domain', 'letters', 'render', 'ingest', 'config', 'workflows'],
  config: ['domain', 'workflows'],
};

/** Files of a layer that may also import these layers (named exceptions, each with its reason). */
export const EXCEPTIONS: { file: RegExp; may: Layer[]; why: string }[] = [
  {
    file: /^functions\/adapters\/compose[^/]*\.ts$/,
    may: ['app', 'operator'],
    why: 'composition modules wire use cases to adapters, and build the operator router its dependencies',
  },
];

/** Node modules the pure domain must not use (I/O, processes, network). */
const DOMAIN_FORBIDDEN_PACKAGES = /^(@aws-sdk\/|aws-sdk$|(node:)?(fs|fs\/promises|http|https|net|child_process|worker_threads|dgram|dns)$)/;

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. functions/app/claims.ts. */
  path: string;
  /** Import specifiers as written ('../adapters/x.js', 'zod', …). */
  imports: string[];
}

export interface Violation {
  file: string;
  import: string;
  from: Layer;
  to: Layer;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a TypeScript source imports or re-exports (static, side-effect and dynamic imports). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** functions/<folder>/… → folder; functions/config.ts → config; workflows/… → workflows; bin/… → bin. */
export function layerOf(path: string): Layer {
  const parts = path.split('/');
  if (parts[0] !== 'functions') return parts[0]!;
  return parts.length === 2 ? parts[1]!.replace(/\.(ts|js)$/, '') : parts[1]!;
}

/** Every import of a file in functions/ that its layer may not make. */
export function layerViolations(files: SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    if (!f.path.startsWith('functions/')) continue;
    const from = layerOf(f.path);
    const allowed = new Set([...(ALLOWED[from] ?? []), ...EXCEPTIONS.filter((e) => e.file.test(f.path)).flatMap((e) => e.may)]);
    for (const spec of f.imports) {
      if (!spec.startsWith('.')) {
        if (from === 'domain' && DOMAIN_FORBIDDEN_PACKAGES.test(spec)) out.push({ file: f.path, import: spec, from, to: `package ${spec}` });
        continue;
      }
      const target = relative('.', resolve(dirname(f.path), spec))
        .split('\\')
        .join('/');
      const to = layerOf(target);
      if (!allowed.has(to)) out.push({ file: f.path, import: spec, from, to });
    }
  }
  return out;
}

/** The repository's functions/ sources. */
export function sourcesUnder(root: string, dir = 'functions'): SourceFile[] {
  const walk = (d: string): string[] =>
    readdirSync(join(root, d)).flatMap((f) => {
      const p = `${d}/${f}`;
      return statSync(join(root, p)).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
    });
  return walk(dir).map((path) => ({ path, imports: importsOf(readFileSync(join(root, path), 'utf8')) }));
}

/** Import cycles among the given files (each cycle once, as a list of paths). */
export function importCycles(files: SourceFile[]): string[][] {
  const known = new Set(files.map((f) => f.path));
  const edges = new Map<string, string[]>();
  for (const f of files) {
    edges.set(
      f.path,
      f.imports
        .filter((s) => s.startsWith('.'))
        .map((s) =>
          relative('.', resolve(dirname(f.path), s))
            .split('\\')
            .join('/')
            .replace(/\.js$/, '.ts'),
        )
        .filter((t) => known.has(t)),
    );
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const cycle = stack.slice(stack.indexOf(m));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const f of files) if (!state.has(f.path)) visit(f.path);
  return cycles;
}
