/**
 * Template loading (templates/ at the repository root, or the directory configureTemplatesDir() was given / an explicit dir).
 * Two Handlebars environments:
 * - html: auto-escaping ({{x}} escapes & < > " ' ` =), used for the HTML email layout;
 * - text: no escaping, used for subjects, plain text and the paragraphs that HTML and PDF then print as
 *   data. Data values are never compiled, so a customer name such as "{{x}}" stays literal text.
 * Both compile in strict mode: a missing field is an error, not a blank in a letter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ConfigError } from '../domain/errors.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

let configuredDir: string | undefined;

/** Set once by the composition root from the function's configuration (CLAIMFLOW_TEMPLATES_DIR in a bundle). */
export function configureTemplatesDir(dir: string | undefined): void {
  configuredDir = dir;
}

export function templatesDir(explicit?: string): string {
  return explicit ?? configuredDir ?? DEFAULT_TEMPLATES_DIR;
}

const htmlEnv = Handlebars.create();
const textEnv = Handlebars.create();

type Compiled = (ctx: unknown) => string;
const cache = new Map<string, Compiled>();
const files = new Map<string, string>();

function readTemplate(dir: string, rel: string): string {
  const path = join(dir, rel);
  let src = files.get(path);
  if (src === undefined) {
    try {
      src = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`template not found: ${path}`, { cause: err });
    }
    files.set(path, src);
  }
  return src;
}

function compile(kind: 'html' | 'text', key: string, source: () => string): Compiled {
  const k = `${kind}\u0000${key}`;
  let fn = cache.get(k);
  if (!fn) {
    const env = kind === 'html' ? htmlEnv : textEnv;
    fn = env.compile(source(), { strict: true, noEscape: kind === 'text' });
    cache.set(k, fn);
  }
  return fn;
}

/** Renders templates/<rel> (e.g. "email/layout.html.hbs"). */
export function renderFile(kind: 'html' | 'text', dir: string, rel: string, ctx: unknown): string {
  return compile(kind, join(dir, rel), () => readTemplate(dir, rel))(ctx);
}

/** Renders a template string (subjects and labels from templates/i18n/<locale>.json) as text. */
export function renderString(template: string, ctx: unknown): string {
  return compile('text', `inline:${template}`, () => template)(ctx);
}

const parsed = new Map<string, unknown>();

/** Reads templates/i18n/<locale>.json, parsed once per process and frozen (every letter reads it). */
export function readJson<T>(dir: string, rel: string): T {
  const path = join(dir, rel);
  if (parsed.has(path)) return parsed.get(path) as T;
  const src = readTemplate(dir, rel);
  let value: T;
  try {
    value = deepFreeze(JSON.parse(src) as T);
  } catch (err) {
    throw new ConfigError(`template file is not valid JSON: ${path}`, { cause: err });
  }
  parsed.set(path, value);
  return value;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
