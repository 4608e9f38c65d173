import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../functions/adapters/rules-loader.js';
import { ConfigError, ValidationError } from '../../../functions/domain/errors.js';
import { calculatePenalty, defaultRules, extendRules, validateRuleData } from '../../../functions/domain/penalties/index.js';

const issuesOf = (fn: () => unknown): Array<{ field: string; message: string }> => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('expected a ValidationError');
};

describe('rule data', () => {
  it('embeds docs/law.md: 51 key rates (17 rows × 3 columns) sorted by effective date, each with a source and a mark', () => {
    // Prepare / Act
    const rules = defaultRules();

    // Assess
    expect(rules.keyRates).toHaveLength(51);
    expect(rules.keyRates[0]).toMatchObject({ from: '2016-01-01', ratePct: '11.00', mark: 'S' });
    expect(rules.keyRates.at(-1)).toMatchObject({ from: '2026-02-16', ratePct: '15.50', mark: 'S' });
    expect(rules.keyRates.find((k) => k.from === '2022-02-28')).toMatchObject({ ratePct: '20.00', mark: 'V' });
    expect(rules.keyRates.every((k, i, a) => i === 0 || a[i - 1]!.from < k.from)).toBe(true);
    expect(rules.keyRates.every((k) => k.source.length > 0)).toBe(true);
    expect(rules.moratoria.map((m) => [m.id, m.from, m.to, m.onlyObligationsArisenBefore])).toEqual([
      ['pp424-2020', '2020-04-06', '2021-01-01', undefined],
      ['pp497-2022', '2022-04-01', '2022-10-01', '2022-04-01'],
    ]);
    expect(rules.housingCaps.map((c) => [c.from, c.to, c.mode, c.ratePct, c.mark])).toEqual([
      ['2022-02-28', '2024-12-31', 'min', '9.50', 'S'],
      ['2025-01-01', '2026-12-31', 'fixed', '9.50', 'U'],
    ]);
  });

  it('rejects unsorted or duplicate dates and non-string decimals, naming the entry', () => {
    // Prepare
    const rules = defaultRules();
    const swapped = { ...rules, keyRates: [rules.keyRates[1], rules.keyRates[0], ...rules.keyRates.slice(2)] };
    const dup = { ...rules, keyRates: [rules.keyRates[0], { ...rules.keyRates[0] }, ...rules.keyRates.slice(1)] };
    const numeric = { ...rules, keyRates: [{ ...rules.keyRates[0], ratePct: 11 }, ...rules.keyRates.slice(1)] };

    // Act
    const a = issuesOf(() => validateRuleData(swapped));
    const b = issuesOf(() => validateRuleData(dup));
    const c = issuesOf(() => validateRuleData(numeric));

    // Assess
    expect(a).toEqual([{ field: 'keyRates[1].from', message: 'not sorted: 2016-01-01 comes after 2016-06-14' }]);
    expect(b).toEqual([{ field: 'keyRates[1].from', message: 'duplicate effective date 2016-01-01' }]);
    expect(c.map((i) => i.field)).toEqual(['keyRates[0].ratePct']);
  });

  it('a user file adds a key rate without a code change, and the engine uses it', () => {
    // Prepare: a hypothetical later rate 14.00 % from 01.03.2026.
    // 395 on 36500.00 due 28.02.2026 to 10.03.2026: 01.03–10.03 = 10 days × 36500 × 0.14 / 365 = 140.00
    const rules = extendRules(defaultRules(), {
      version: 'lawyer-2026-03',
      keyRates: [{ from: '2026-03-01', ratePct: '14.00', source: 'test: hypothetical rate', mark: 'U' }],
    });
    const input = { rule: 'interest395', charges: [{ amount: '36500.00', lastDayToPay: '2026-02-28' }], calculateTo: '2026-03-10' };

    // Act
    const r = calculatePenalty(input, rules);
    const builtin = calculatePenalty(input, defaultRules());

    // Assess
    expect(r.periods.map((p) => [p.rate, p.amount])).toEqual([['14', '140.00']]);
    expect(r.rulesVersion).toBe('2026-02-16.1+lawyer-2026-03');
    // Built-in: 15.50 % → 36500 × 0.155 × 10 / 365 = 155.00
    expect(builtin.total).toBe('155.00');
  });

  it('a user file entry colliding with a built-in one needs override: true', () => {
    // Prepare
    const entry = { from: '2026-02-16', ratePct: '15.00', source: 'test', mark: 'S' };

    // Act
    const issues = issuesOf(() => extendRules(defaultRules(), { keyRates: [entry] }));
    const replaced = extendRules(defaultRules(), { keyRates: [{ ...entry, override: true }] });

    // Assess
    expect(issues).toEqual([{ field: 'rulesFile.keyRates[0].from', message: 'a key rate effective 2026-02-16 already exists (15.50 %); set "override": true to replace it' }]);
    expect(replaced.keyRates.at(-1)).toEqual({ from: '2026-02-16', ratePct: '15.00', source: 'test', mark: 'S' });
  });

  it('a user moratorium is validated and applied through "default"', () => {
    // Prepare: contractual 1 %/day on 1000.00 due 10.03.2025 to 20.03.2025 (10 days), moratorium 16.03–20.03.
    const rules = extendRules(defaultRules(), {
      moratoria: [{ id: 'local-2025', from: '2025-03-16', to: '2025-03-20', appliesTo: ['contractual'], act: 'test act', source: 'test', mark: 'U' }],
    });
    const input = { rule: 'contractual', ratePctPerDay: '1', charges: [{ amount: '1000.00', lastDayToPay: '2025-03-10' }], calculateTo: '2025-03-20' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess: 11.03–15.03 = 5 days × 10.00
    expect(r.total).toBe('50.00');
  });

  it('the loader reads the file named by --rules or CLAIMFLOW_RULES_FILE and names the offending entry', async () => {
    // Prepare
    const files: Record<string, string> = {
      '/rules/good.json': JSON.stringify({ keyRates: [{ from: '2026-03-01', ratePct: '14.00', source: 's', mark: 'U' }] }),
      '/rules/bad.json': JSON.stringify({ keyRates: [{ from: '2026-03-01', ratePct: '14,00', source: 's', mark: 'U' }] }),
      '/rules/broken.json': '{ not json',
    };
    const readFile = async (p: string) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    };

    // Act
    const none = await loadRules({ env: {}, readFile });
    const fromEnv = await loadRules({ env: { CLAIMFLOW_RULES_FILE: '/rules/good.json' }, readFile });
    const bad = loadRules({ file: '/rules/bad.json', env: { CLAIMFLOW_RULES_FILE: '/rules/good.json' }, readFile }).catch((e: unknown) => e);
    const broken = loadRules({ file: '/rules/broken.json', readFile, env: {} }).catch((e: unknown) => e);
    const missing = loadRules({ file: '/rules/missing.json', readFile, env: {} }).catch((e: unknown) => e);

    // Assess
    expect(none.keyRates).toHaveLength(51);
    expect(fromEnv.keyRates).toHaveLength(52);
    expect(((await bad) as ValidationError).fields).toEqual([{ field: 'rules file /rules/bad.json: keyRates[0].ratePct', message: 'must be a decimal string such as "9.50"' }]);
    expect(await broken).toBeInstanceOf(ValidationError);
    expect(await missing).toBeInstanceOf(ConfigError);
  });
});
