/**
 * The domain stays pure: no AWS SDK, no I/O modules, no clock reads in functions/domain.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../functions/domain');
const FORBIDDEN_IMPORTS = /from\s+['"](@aws-sdk\/[^'"]*|aws-sdk|node:fs[^'"]*|fs|fs\/promises|node:http|http|https|node:https|node:net|net|node:child_process|child_process)['"]/;
const CLOCK_READS = /Date\.now\(\)|new Date\(\s*\)|performance\.now\(\)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('functions/domain purity', () => {
  const sources = files(ROOT).map((f) => ({ f, text: readFileSync(f, 'utf8') }));

  it('has domain files to check', () => {
    // Prepare / Act: the file list above. Assess:
    expect(sources.length).toBeGreaterThan(3);
  });

  it('imports no AWS SDK and no I/O module', () => {
    // Act
    const offenders = sources.filter((s) => FORBIDDEN_IMPORTS.test(s.text)).map((s) => s.f);
    // Assess
    expect(offenders).toEqual([]);
  });

  it('reads no clock (the business date is passed in)', () => {
    // Act
    const offenders = sources.filter((s) => CLOCK_READS.test(s.text.replace(/\/\/.*$/gm, ''))).map((s) => s.f);
    // Assess
    expect(offenders).toEqual([]);
  });

  it('the checks themselves catch a forbidden import and a clock read', () => {
    // Prepare
    const bad = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst t = Date.now();";
    // Act / Assess
    expect(FORBIDDEN_IMPORTS.test(bad)).toBe(true);
    expect(CLOCK_READS.test(bad)).toBe(true);
  });
});
