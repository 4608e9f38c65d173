/**
 * The layers of functions/ hold (docs/ARCHITECTURE.md, "Folders"): domain imports nothing outside
 * itself but libraries, use cases (app) see ports and never an adapter or a handler, adapters wire use
 * cases only in composition modules, and no two layers import each other around a cycle.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, layerOf, layerViolations, sourcesUnder } from '../support/layers.js';

const ROOT = join(import.meta.dirname, '../..');

describe('layers of functions/', () => {
  const files = sourcesUnder(ROOT);

  it('every import of functions/ is one its layer may make', () => {
    // Prepare: the sources above. Act
    const violations = layerViolations(files);
    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(violations).toEqual([]);
  });

  it('has no import cycle between layers (type imports included)', () => {
    // Act
    const cycles = importCycles(files).filter((c) => new Set(c.map(layerOf)).size > 1);
    // Assess
    expect(cycles).toEqual([]);
  });

  it('the check reports a use case importing an adapter or a handler, and the domain importing a port or the AWS SDK', () => {
    // Prepare: synthetic files, as a change would add them
    const fixture = [
      {
        path: 'functions/app/pay.ts',
        imports: importsOf(
          "import type { DynamoLedger } from '../adapters/compose-ledger.js';\nimport { handler } from '../handlers/webhook.js';\nimport type { Mailer } from '../ports/index.js';",
        ),
      },
      {
        path: 'functions/domain/ledger/x.ts',
        imports: importsOf(
          "import type { LedgerStore } from '../../ports/ledger.js';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { Decimal } from 'decimal.js';",
        ),
      },
      { path: 'functions/adapters/dynamo-x.ts', imports: importsOf("export { applyCommand } from '../app/ledger.js';") },
      { path: 'functions/adapters/compose-x.ts', imports: importsOf("import { applyCommand } from '../app/ledger.js';") },
      { path: 'functions/ports/x.ts', imports: importsOf("const m = await import('../adapters/dynamo-dunning.js');") },
    ];
    // Act
    const found = layerViolations(fixture);
    // Assess: each forbidden import named with its file and layers; allowed ones are not reported
    expect(found).toEqual([
      { file: 'functions/app/pay.ts', import: '../adapters/compose-ledger.js', from: 'app', to: 'adapters' },
      { file: 'functions/app/pay.ts', import: '../handlers/webhook.js', from: 'app', to: 'handlers' },
      { file: 'functions/domain/ledger/x.ts', import: '../../ports/ledger.js', from: 'domain', to: 'ports' },
      { file: 'functions/domain/ledger/x.ts', import: '@aws-sdk/client-dynamodb', from: 'domain', to: 'package @aws-sdk/client-dynamodb' },
      { file: 'functions/adapters/dynamo-x.ts', import: '../app/ledger.js', from: 'adapters', to: 'app' },
      { file: 'functions/ports/x.ts', import: '../adapters/dynamo-dunning.js', from: 'ports', to: 'adapters' },
    ]);
  });

  it('the check reports an import cycle such as a use case and its adapter importing each other', () => {
    // Prepare: the cycle functions/app/claims.ts ↔ functions/adapters/dynamo-claims.ts had
    const fixture = [
      { path: 'functions/app/claims.ts', imports: ['../adapters/dynamo-claims.js'] },
      { path: 'functions/adapters/dynamo-claims.ts', imports: ['../app/claims.js', './table-design.js'] },
      { path: 'functions/adapters/table-design.ts', imports: [] },
    ];
    // Act
    const cycles = importCycles(fixture);
    // Assess
    expect(cycles).toEqual([['functions/app/claims.ts', 'functions/adapters/dynamo-claims.ts']]);
  });
});
