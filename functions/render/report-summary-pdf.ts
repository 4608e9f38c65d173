/**
 * The weekly management summary as a PDF (A4 portrait): key figures with week-on-week change, charts
 * (receivables and overdue over 8 weeks, the stage funnel, the top 10 debtors — ECharts SVG), the top
 * debtors table, promises broken, claim cases. Plain text and HTML bodies for the email too.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { WeeklySummary } from '../domain/reports/summary.js';
import { formatAmountRu } from './reconciliation-pdf.js';
import { renderChartSvg } from './report-charts.js';
import { renderPdf } from './report-pdf.js';

const signed = (a: string) => (a.startsWith('-') ? formatAmountRu(a) : `+${formatAmountRu(a)}`);
const vsTarget = (v: number | null, t: number | null, higherIsBetter: boolean) =>
  v === null ? 'n/a' : t === null ? `${v}` : `${v} (target ${t}: ${(higherIsBetter ? v >= t : v <= t) ? 'met' : 'missed'})`;

const tbl = (head: string[], rows: string[][], right: number[] = []): Content => ({
  table: {
    headerRows: 1,
    widths: head.map(() => 'auto'),
    body: [
      head.map((h): TableCell => ({ text: h, bold: true, fillColor: '#eeeeee' })),
      ...rows.map((r) => r.map((c, i): TableCell => ({ text: c, alignment: right.includes(i) ? 'right' : 'left' }))),
    ],
  },
  layout: { hLineWidth: () => 0.4, vLineWidth: () => 0.4 },
  fontSize: 8,
  margin: [0, 0, 0, 10],
});

export function summaryDocDefinition(s: WeeklySummary, company?: { name: string }): TDocumentDefinitions {
  const charts: Content[] = [];
  for (const cur of s.money.map((m) => m.currency)) {
    const t = s.trend.filter((x) => x.currency === cur);
    charts.push({
      svg: renderChartSvg(
        {
          title: `Receivables and overdue, last 8 weeks (${cur})`,
          kind: 'line',
          categories: t.map((x) => x.weekEnd),
          series: [
            { name: 'Receivables', values: t.map((x) => Number(x.receivables)) },
            { name: 'Overdue', values: t.map((x) => Number(x.overdue)) },
          ],
        },
        { width: 515, height: 220 },
      ),
      width: 515,
      margin: [0, 0, 0, 8],
    });
  }
  charts.push({
    svg: renderChartSvg(
      {
        title: 'Stage funnel: customers at each stage, letters this week',
        kind: 'bar',
        categories: s.funnel.map((f) => f.stage),
        series: [
          { name: 'Customers', values: s.funnel.map((f) => f.customers) },
          { name: 'Letters this week', values: s.funnel.map((f) => f.lettersThisWeek) },
        ],
      },
      { width: 515, height: 200 },
    ),
    width: 515,
    margin: [0, 0, 0, 8],
  });
  if (s.topDebtors.length) {
    charts.push({
      svg: renderChartSvg(
        {
          title: 'Top debtors: outstanding and overdue',
          kind: 'bar',
          categories: s.topDebtors.map((d) => d.name.slice(0, 18)),
          series: [
            { name: 'Outstanding', values: s.topDebtors.map((d) => Number(d.outstanding)) },
            { name: 'Overdue', values: s.topDebtors.map((d) => Number(d.overdue)) },
          ],
        },
        { width: 515, height: 240 },
      ),
      width: 515,
      margin: [0, 0, 0, 8],
    });
  }
  const content: Content[] = [
    { text: `Receivables: weekly summary, ${s.weekStart} – ${s.asOf}`, fontSize: 15, bold: true },
    { text: company?.name ?? '', color: '#555555', margin: [0, 0, 0, 10] },
    tbl(
      ['Currency', 'Receivables', 'Change w/w', 'Overdue', 'Change w/w', 'DSO (days)', 'CEI (%)'],
      s.money.map((m) => {
        const e = s.efficiency.find((x) => x.currency === m.currency);
        return [
          m.currency,
          formatAmountRu(m.receivables),
          signed(m.receivablesChange),
          formatAmountRu(m.overdue),
          signed(m.overdueChange),
          vsTarget(e?.dso ?? null, e?.dsoTarget ?? null, false),
          vsTarget(e?.cei ?? null, e?.ceiTarget ?? null, true),
        ];
      }),
      [1, 2, 3, 4],
    ),
    ...charts,
    { text: 'Top 10 debtors', bold: true, fontSize: 11, margin: [0, 4, 0, 4] },
    tbl(
      ['Customer', 'Manager', 'Outstanding', 'Overdue', 'Oldest (days)', 'Stage'],
      s.topDebtors.map((d) => [d.name, d.manager, `${formatAmountRu(d.outstanding)} ${d.currency}`, formatAmountRu(d.overdue), String(d.oldestDaysPastDue), d.stage ?? '—']),
      [2, 3, 4],
    ),
    { text: 'Stage funnel and letters sent this week', bold: true, fontSize: 11, margin: [0, 4, 0, 4] },
    tbl(
      ['Stage', 'Customers', 'Invoices', 'Amount', 'Letters this week'],
      s.funnel.map((f) => [
        f.stage,
        String(f.customers),
        String(f.invoices),
        f.amount.map((a) => `${formatAmountRu(a.amount)} ${a.currency}`).join(', ') || '—',
        String(f.lettersThisWeek),
      ]),
      [1, 2, 3, 4],
    ),
    { text: `Promises broken this week: ${s.promisesBroken.length}`, bold: true, fontSize: 11, margin: [0, 4, 0, 4] },
    ...(s.promisesBroken.length
      ? [
          tbl(
            ['Customer', 'Promised for', 'Amount', 'Paid'],
            s.promisesBroken.map((b) => [b.name, b.promisedOn, `${formatAmountRu(b.amount)} ${b.currency}`, formatAmountRu(b.paid)]),
            [2, 3],
          ),
        ]
      : []),
    { text: `Claim cases: ${s.cases.opened} opened, ${s.cases.won} won this week`, bold: true, fontSize: 11, margin: [0, 4, 0, 4] },
    {
      text: `Credit overrides: ${s.overridesGranted} granted this week, ${s.overrides.expiring.length} expiring in the next 7 days, ${s.overrides.revokedThisWeek} revoked this week`,
      bold: true,
      fontSize: 11,
      margin: [0, 4, 0, 4],
    },
    ...(s.overrides.granted.length || s.overrides.expiring.length
      ? [
          tbl(
            ['Customer', 'Override', 'Up to', 'Granted', 'Expires', 'By', 'Reason'],
            [
              ...s.overrides.granted.map((o) => [
                o.name,
                `granted: ${o.scope}${o.orderId ? ` ${o.orderId}` : ''}`,
                `${formatAmountRu(o.maxAmount)} ${o.currency}`,
                o.grantedOn,
                o.expiresOn,
                o.grantedBy,
                o.reason,
              ]),
              ...s.overrides.expiring.map((o) => [
                o.name,
                `expiring: ${o.scope}${o.orderId ? ` ${o.orderId}` : ''}`,
                `${formatAmountRu(o.maxAmount)} ${o.currency}`,
                o.grantedOn,
                o.expiresOn,
                o.grantedBy,
                o.reason,
              ]),
            ],
            [2],
          ),
        ]
      : []),
    { text: '', margin: [0, 0, 0, 4] },
    { ul: s.notes, fontSize: 7, color: '#555555' },
  ];
  return {
    pageSize: 'A4',
    pageMargins: [40, 36, 40, 36],
    info: { title: `Weekly receivables summary ${s.asOf}`, creator: 'claimflow' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    content,
    footer: (page: number, pages: number) => ({ text: `weekly summary · ${s.asOf} · ${page}/${pages}`, alignment: 'right', fontSize: 7, margin: [0, 10, 40, 0] }),
  };
}

export const renderSummaryPdf = (s: WeeklySummary, company?: { name: string }): Promise<Uint8Array> => renderPdf(summaryDocDefinition(s, company));

export function summaryText(s: WeeklySummary): string {
  const lines = [`Receivables: weekly summary ${s.weekStart} – ${s.asOf}`, ''];
  for (const m of s.money) {
    const e = s.efficiency.find((x) => x.currency === m.currency);
    lines.push(
      `${m.currency}: receivables ${m.receivables} (${signed(m.receivablesChange)} w/w), overdue ${m.overdue} (${signed(m.overdueChange)} w/w), DSO ${vsTarget(e?.dso ?? null, e?.dsoTarget ?? null, false)}, CEI ${vsTarget(e?.cei ?? null, e?.ceiTarget ?? null, true)}`,
    );
  }
  lines.push('', 'Top debtors:', ...s.topDebtors.map((d, i) => `${i + 1}. ${d.name}: ${d.outstanding} ${d.currency} (overdue ${d.overdue}, ${d.stage ?? 'no stage'})`));
  lines.push('', `Letters this week: ${s.funnel.map((f) => `${f.stage} ${f.lettersThisWeek}`).join(', ')}`);
  lines.push(`Promises broken: ${s.promisesBroken.length}; claim cases opened ${s.cases.opened}, won ${s.cases.won}.`);
  lines.push(
    `Credit overrides: ${s.overridesGranted} granted this week, ${s.overrides.expiring.length} expiring in the next 7 days.`,
    '',
    'The PDF attached has the charts and tables.',
  );
  return lines.join('\n');
}
