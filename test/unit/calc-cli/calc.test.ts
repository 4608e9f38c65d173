import { describe, expect, it } from 'vitest';
import { runCalc } from '../../../bin/calc.js';

const housing = {
  rule: 'housing',
  charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
  payments: [{ date: '2025-05-05', amount: '2300.00' }],
  calculateTo: '2025-08-31',
};

describe('claimflow calc', () => {
  it('penalty: JSON in, itemized JSON out', async () => {
    // Prepare: hand-checked in test/unit/penalties/housing.test.ts: 60.10 + 53.83 + 306.92 = 420.85
    const stdin = JSON.stringify(housing);

    // Act
    const out = await runCalc(['penalty'], stdin);

    // Assess
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('');
    const body = JSON.parse(out.stdout);
    expect(body.total).toBe('420.85');
    expect(body.rounding).toBe('perPeriod');
    expect(body.periods.map((p: { amount: string }) => p.amount)).toEqual(['0.00', '60.10', '53.83', '306.92']);
    expect(body.periods[1]).toMatchObject({ from: '2025-04-10', to: '2025-05-05', days: 26, base: '7300.00', rate: '9.5', fraction: '1/300' });
  });

  it('duty: prints whole rubles and the table used', async () => {
    // Prepare: 4000 + 3 % × 150000 = 8500
    const stdin = JSON.stringify({ court: 'general', price: '250000.00', filedOn: '2025-03-01', courtOrder: false });

    // Act
    const out = await runCalc(['duty'], stdin);

    // Assess
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ duty: '8500', table: '333.19 from 2024-09-09' });
  });

  it.each([
    ['unknown rule', ['penalty'], { ...housing, rule: 'usury' }, 'rule:'],
    ['non-decimal amount', ['penalty'], { ...housing, charges: [{ amount: '73OO', lastDayToPay: '2025-03-10' }] }, 'charges[0].amount:'],
    ['payment before any charge', ['penalty'], { ...housing, payments: [{ date: '2025-01-01', amount: '1.00' }] }, 'payments[0].date:'],
    ['calculateTo before the first day of delay', ['penalty'], { ...housing, calculateTo: '2025-03-01' }, 'calculateTo:'],
    ['bad duty court', ['duty'], { court: 'supreme', price: '1.00', filedOn: '2025-03-01' }, 'court:'],
  ])('exit 2 naming the field: %s', async (_name, args, input, field) => {
    // Prepare
    const stdin = JSON.stringify(input);

    // Act
    const out = await runCalc(args, stdin);

    // Assess
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`  ${field}`);
  });

  it('exit 2 for invalid JSON and for an unknown subcommand', async () => {
    // Prepare / Act
    const badJson = await runCalc(['penalty'], '{');
    const badSub = await runCalc(['fees'], '{}');

    // Assess
    expect([badJson.exitCode, badJson.stderr]).toEqual([2, expect.stringContaining('stdin is not valid JSON')]);
    expect([badSub.exitCode, badSub.stderr]).toEqual([2, expect.stringContaining('unknown or missing subcommand "fees"')]);
  });

  it('--rules and CLAIMFLOW_RULES_FILE extend the key rates; --rules wins', async () => {
    // Prepare: 36500.00 due 28.02.2026, to 10.03.2026 (10 days, ст. 395):
    // built-in 15.50 % → 155.00; file A 14.00 % from 01.03.2026 → 140.00; file B 12.00 % → 120.00
    const files: Record<string, string> = {
      'a.json': JSON.stringify({ keyRates: [{ from: '2026-03-01', ratePct: '14.00', source: 'test A', mark: 'U' }] }),
      'b.json': JSON.stringify({ keyRates: [{ from: '2026-03-01', ratePct: '12.00', source: 'test B', mark: 'U' }] }),
    };
    const io = { readFile: async (p: string) => files[p] ?? Promise.reject(new Error(`ENOENT ${p}`)) };
    const stdin = JSON.stringify({ rule: 'interest395', charges: [{ amount: '36500.00', lastDayToPay: '2026-02-28' }], calculateTo: '2026-03-10' });

    // Act
    const builtin = await runCalc(['penalty'], stdin, io);
    const env = await runCalc(['penalty'], stdin, { ...io, env: { CLAIMFLOW_RULES_FILE: 'a.json' } });
    const flag = await runCalc(['penalty', '--rules', 'b.json'], stdin, { ...io, env: { CLAIMFLOW_RULES_FILE: 'a.json' } });
    const missing = await runCalc(['penalty', '--rules', 'c.json'], stdin, io);

    // Assess
    expect(JSON.parse(builtin.stdout).total).toBe('155.00');
    expect(JSON.parse(env.stdout).total).toBe('140.00');
    expect(JSON.parse(flag.stdout).total).toBe('120.00');
    expect([missing.exitCode, missing.stderr]).toEqual([2, expect.stringContaining('cannot read rules file c.json')]);
  });

  it('a bad rules file is reported with the offending entry', async () => {
    // Prepare
    const io = { readFile: async () => JSON.stringify({ keyRates: [{ from: '2026-03-01', ratePct: '14.00', mark: 'U' }] }) };

    // Act
    const out = await runCalc(['penalty', '--rules', 'x.json'], JSON.stringify(housing), io);

    // Assess
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('rules file x.json: keyRates[0].source:');
  });
});
