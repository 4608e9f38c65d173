/**
 * Built-in rule data, versioned. Facts and marks come from docs/law.md (V = legal text read,
 * S = secondary source, U = uncertain). Users extend or correct this WITHOUT a code change through a
 * rules file (see functions/adapters/rules-loader.ts and docs/calc.md).
 * Pure data: validated by `validateRuleData` before use.
 */
export const RULES_VERSION = '2026-02-16.1';

const KEY_RATE_LIST = 'Bank of Russia key rate by effective date: 395gk.ru list (docs/law.md §4)';
const KEY_RATE_NEWS = 'Bank of Russia key rate: news reports (docs/law.md §4)';

/** [from (effective), percent] in docs/law.md §4 order. */
const KEY_RATES: ReadonlyArray<readonly [string, string]> = [
  ['2016-01-01', '11.00'],
  ['2016-06-14', '10.50'],
  ['2016-09-19', '10.00'],
  ['2017-03-27', '9.75'],
  ['2017-05-02', '9.25'],
  ['2017-06-19', '9.00'],
  ['2017-09-18', '8.50'],
  ['2017-10-30', '8.25'],
  ['2017-12-18', '7.75'],
  ['2018-02-12', '7.50'],
  ['2018-03-26', '7.25'],
  ['2018-09-17', '7.50'],
  ['2018-12-17', '7.75'],
  ['2019-06-17', '7.50'],
  ['2019-07-29', '7.25'],
  ['2019-09-09', '7.00'],
  ['2019-10-28', '6.50'],
  ['2019-12-16', '6.25'],
  ['2020-02-10', '6.00'],
  ['2020-04-27', '5.50'],
  ['2020-06-22', '4.50'],
  ['2020-07-27', '4.25'],
  ['2021-03-22', '4.50'],
  ['2021-04-26', '5.00'],
  ['2021-06-15', '5.50'],
  ['2021-07-26', '6.50'],
  ['2021-09-13', '6.75'],
  ['2021-10-25', '7.50'],
  ['2021-12-20', '8.50'],
  ['2022-02-14', '9.50'],
  ['2022-02-28', '20.00'],
  ['2022-04-11', '17.00'],
  ['2022-05-04', '14.00'],
  ['2022-05-27', '11.00'],
  ['2022-06-14', '9.50'],
  ['2022-07-25', '8.00'],
  ['2022-09-19', '7.50'],
  ['2023-07-24', '8.50'],
  ['2023-08-15', '12.00'],
  ['2023-09-18', '13.00'],
  ['2023-10-30', '15.00'],
  ['2023-12-18', '16.00'],
  ['2024-07-29', '18.00'],
  ['2024-09-16', '19.00'],
  ['2024-10-28', '21.00'],
  ['2025-06-09', '20.00'],
  ['2025-07-28', '18.00'],
  ['2025-09-15', '17.00'],
  ['2025-10-27', '16.50'],
  ['2025-12-22', '16.00'],
  ['2026-02-16', '15.50'],
];

export const BUILTIN_RULES = {
  version: RULES_VERSION,
  keyRates: KEY_RATES.map(([from, ratePct]) => {
    const year = from.slice(0, 4);
    const fromNews = year === '2016' || year === '2026';
    return {
      from,
      ratePct,
      source: fromNews ? KEY_RATE_NEWS : KEY_RATE_LIST,
      mark: fromNews ? ('S' as const) : ('V' as const),
      ...(from === '2016-01-01' ? { note: 'Since 01.01.2016 the refinancing rate equals the key rate (Указание ЦБ 3894-У) [S]; the table starts here.' } : {}),
      ...(from === '2026-02-16' ? { note: 'Last entry retrieved; later decisions were not retrieved [U]. Add newer rates in a rules file.' } : {}),
    };
  }),
  moratoria: [
    {
      id: 'pp424-2020',
      from: '2020-04-06',
      to: '2021-01-01',
      appliesTo: ['housing' as const],
      act: 'ПП РФ №424 от 02.04.2020',
      source: 'docs/law.md §1 moratoria table',
      mark: 'S' as const,
      note: 'No housing penalty accrues 06.04.2020–01.01.2021; accrual resumes 02.01.2021.',
    },
    {
      id: 'pp497-2022',
      from: '2022-04-01',
      to: '2022-10-01',
      appliesTo: ['housing' as const, 'interest395' as const, 'contractual' as const],
      onlyObligationsArisenBefore: '2022-04-01',
      act: 'ПП РФ №497 от 28.03.2022 (bankruptcy moratorium)',
      source: 'docs/law.md §1 moratoria table',
      mark: 'S' as const,
      note:
        'No penalty on obligations that arose before 01.04.2022 [S]. Calculators often start it 31.03.2022 [U]. ' +
        "An obligation is taken to arise on the charge's `arisenOn` date, or its last day to pay if not given [U].",
    },
  ],
  housingCaps: [
    {
      id: 'pp474-2022',
      from: '2022-02-28',
      to: '2024-12-31',
      mode: 'min' as const,
      ratePct: '9.50',
      act: 'ПП РФ №474 от 26.03.2022 (as amended by №1681, extended by №2479 and №2382)',
      source: 'docs/law.md §1 moratoria and caps',
      mark: 'S' as const,
      note: 'r = min(9.5 %, key rate) for accrual days 28.02.2022–31.12.2024.',
    },
    {
      id: 'pp329-2025',
      from: '2025-01-01',
      to: '2026-12-31',
      mode: 'fixed' as const,
      ratePct: '9.50',
      act: 'ПП РФ №329 от 18.03.2025',
      source: 'docs/law.md §1 moratoria and caps',
      mark: 'U' as const,
      note:
        'r = 9.5 % for accrual days 01.01.2025–31.12.2026. Whether it is retroactive to 01.01.2025 or starts ' +
        '18.03.2025 is disputed [U]; correct `from` in a rules file (override: true) if needed.',
    },
  ],
  readings: {
    housingCapBy: {
      value: 'accrualDay' as const,
      default: 'accrualDay' as const,
      options: ['accrualDay' as const, 'paymentDate' as const],
      label: 'ПП 474 / ПП 329 rate cap: by day of accrual, or by payment date',
      why:
        'Default "accrualDay": docs/law.md states the cap for "accrual days 28.02.2022–31.12.2024" [S], so each day of delay inside the window ' +
        'uses the capped rate and days outside it do not. "paymentDate": the cap applies to the whole delay of a part paid (or, unpaid, ' +
        'calculated) inside the window, since ЖК РФ ст. 155 ч. 14 takes one rate as of the payment day and ПП 474 fixes that rate. ' +
        '1000.00 due 2021-10-10, paid 2022-03-15: 128.61 by accrual day, 67.23 by payment date.',
      source: 'docs/law.md §1 moratoria and caps',
      mark: 'U' as const,
    },
    pp329From: {
      value: '2025-01-01' as const,
      default: '2025-01-01' as const,
      options: ['2025-01-01' as const, '2025-03-18' as const],
      label: 'ПП 329 (9.5 %) applies from',
      why:
        'Default 2025-01-01: the act extends the cap to relations from 01.01.2025, so a debt owed in early 2025 gets the same 9.5 % ' +
        'as one owed after March; "2025-03-18" (the act\'s date) if a court reads it as not retroactive. Disputed [U].',
      source: 'docs/law.md §1 moratoria and caps',
      mark: 'U' as const,
    },
    pp497ArisenOn: {
      value: 'lastDayToPay' as const,
      default: 'lastDayToPay' as const,
      options: ['lastDayToPay' as const, 'providedOn' as const],
      label: 'ПП 497: a charge without arisenOn arose on',
      why:
        'Default "lastDayToPay": without a given date the only date a charge has is its last day to pay. "providedOn": bankruptcy practice ' +
        "dates the obligation by the day the goods or service were provided (the charge's `providedOn`), which often puts it before " +
        '01.04.2022 and zeroes a moratorium-era penalty. The ledger passes the invoice date as arisenOn either way.',
      source: 'docs/law.md §1 moratoria table',
      mark: 'U' as const,
    },
  },
  dutyTables: [
    {
      id: 'nk333.19-2024-09-09',
      court: 'general' as const,
      validFrom: '2024-09-09',
      label: '333.19 from 2024-09-09',
      brackets: [
        { over: '0', base: '4000', pct: '0' },
        { over: '100000', base: '4000', pct: '3' },
        { over: '300000', base: '10000', pct: '2.5' },
        { over: '500000', base: '15000', pct: '2' },
        { over: '1000000', base: '25000', pct: '1' },
        { over: '3000000', base: '45000', pct: '0.7' },
        { over: '8000000', base: '80000', pct: '0.35' },
        { over: '24000000', base: '136000', pct: '0.3' },
        { over: '50000000', base: '214000', pct: '0.2' },
        { over: '100000000', base: '314000', pct: '0.15' },
      ],
      max: '900000',
      courtOrder: { pct: '50' },
      act: 'НК РФ ст. 333.19 п. 1 пп. 1 (ред. ФЗ 259-ФЗ, claims filed after 08.09.2024)',
      source: 'docs/law.md §5',
      mark: 'U' as const,
      note: 'Brackets 24–50 mln and 50–100 mln are marked [U] in docs/law.md; the others [S]. Court order: 50 %.',
    },
    {
      id: 'nk333.21-2024-09-09',
      court: 'arbitration' as const,
      validFrom: '2024-09-09',
      label: '333.21 from 2024-09-09',
      brackets: [
        { over: '0', base: '10000', pct: '0' },
        { over: '100000', base: '10000', pct: '5' },
        { over: '1000000', base: '55000', pct: '3' },
        { over: '10000000', base: '325000', pct: '1' },
        { over: '50000000', base: '725000', pct: '0.5' },
      ],
      max: '10000000',
      courtOrder: { pct: '50', min: '8000' },
      act: 'НК РФ ст. 333.21 п. 1 пп. 1 (ред. ФЗ 259-ФЗ, claims filed after 08.09.2024)',
      source: 'docs/law.md §5',
      mark: 'S' as const,
      note: 'Court order: 50 %, but not less than 8 000.',
    },
    {
      id: 'nk333.19-before-2024-09-09',
      court: 'general' as const,
      validFrom: '2005-01-01',
      validTo: '2024-09-08',
      label: '333.19 before 2024-09-09',
      brackets: [
        { over: '0', base: '0', pct: '4' },
        { over: '20000', base: '800', pct: '3' },
        { over: '100000', base: '3200', pct: '2' },
        { over: '200000', base: '5200', pct: '1' },
        { over: '1000000', base: '13200', pct: '0.5' },
      ],
      min: '400',
      max: '60000',
      courtOrder: { pct: '50' },
      act: 'НК РФ ст. 333.19 п. 1 пп. 1 (ред. до ФЗ 259-ФЗ)',
      source: 'docs/law.md §5 (version before 09.09.2024)',
      mark: 'S' as const,
      note: 'Applied to claims filed before 09.09.2024; validFrom 2005-01-01 is the start of Chapter 25.3 [U].',
    },
    {
      id: 'nk333.21-before-2024-09-09',
      court: 'arbitration' as const,
      validFrom: '2005-01-01',
      validTo: '2024-09-08',
      label: '333.21 before 2024-09-09',
      brackets: [
        { over: '0', base: '0', pct: '4' },
        { over: '100000', base: '4000', pct: '3' },
        { over: '200000', base: '7000', pct: '2' },
        { over: '1000000', base: '23000', pct: '1' },
        { over: '2000000', base: '33000', pct: '0.5' },
      ],
      min: '2000',
      max: '200000',
      courtOrder: { pct: '50' },
      act: 'НК РФ ст. 333.21 п. 1 пп. 1 (ред. до ФЗ 259-ФЗ)',
      source: 'docs/law.md §5 (version before 09.09.2024)',
      mark: 'S' as const,
      note: 'Applied to claims filed before 09.09.2024; validFrom 2005-01-01 is the start of Chapter 25.3 [U].',
    },
  ],
};
