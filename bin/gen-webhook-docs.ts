/**
 * Regenerates docs/webhook-schema.json from the zod schemas: `npx tsx bin/gen-webhook-docs.ts`.
 * `--check` exits 1 when the committed file differs (CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webhookSchemaText } from '../functions/ingest/schema.js';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'webhook-schema.json');
const text = webhookSchemaText();
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), target)} is stale: run npx tsx bin/gen-webhook-docs.ts`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), target)} is up to date`);
} else {
  await writeFile(target, text, 'utf8');
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
