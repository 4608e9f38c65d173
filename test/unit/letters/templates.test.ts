import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson } from '../../../functions/letters/templates.js';
import { ConfigError } from '../../../functions/domain/errors.js';

describe('readJson (templates/i18n)', () => {
  it('parses a file once and hands out the same frozen object', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'claimflow-tpl-'));
    await mkdir(path.join(dir, 'i18n'));
    await writeFile(path.join(dir, 'i18n', 'ru.json'), JSON.stringify({ labels: { total: 'Итого' } }));

    // Act
    const a = readJson<{ labels: { total: string } }>(dir, 'i18n/ru.json');
    const b = readJson<{ labels: { total: string } }>(dir, 'i18n/ru.json');

    // Assess
    expect(b).toBe(a);
    expect(a.labels.total).toBe('Итого');
    expect(Object.isFrozen(a.labels)).toBe(true);
    expect(() => ((a.labels as { total: string }).total = 'x')).toThrow(TypeError);
  });

  it('names the file when it is missing or not JSON', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'claimflow-tpl-'));
    await writeFile(path.join(dir, 'bad.json'), '{ not json');

    // Act
    const missing = (() => {
      try {
        readJson(dir, 'nope.json');
      } catch (e) {
        return e;
      }
    })();
    const bad = (() => {
      try {
        readJson(dir, 'bad.json');
      } catch (e) {
        return e;
      }
    })();

    // Assess
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toBe(`template not found: ${path.join(dir, 'nope.json')}`);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as Error).message).toBe(`template file is not valid JSON: ${path.join(dir, 'bad.json')}`);
  });
});
