/**
 * Report charts rendered server-side as SVG by Apache ECharts (SSR: renderToSVGString, no DOM, no
 * canvas), for the management PDF (pdfmake draws SVG nodes) and anyone else who wants the picture.
 */
import * as echarts from 'echarts';
import type { ChartSpec } from '../domain/reports/table.js';

const PALETTE = ['#2f5597', '#c55a11', '#548235', '#7f6000', '#7030a0', '#1f6f8b', '#a5a5a5'];

export function chartOption(spec: ChartSpec): echarts.EChartsOption {
  const base = {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'Roboto' },
    title: { text: spec.title, left: 'center', textStyle: { fontSize: 13, fontFamily: 'Roboto' } },
    legend: { bottom: 0, textStyle: { fontFamily: 'Roboto' } },
  };
  if (spec.kind === 'pie') {
    return {
      ...base,
      series: [{ type: 'pie', radius: '60%', data: spec.categories.map((c, i) => ({ name: c, value: spec.series[0]?.values[i] ?? 0 })), label: { fontFamily: 'Roboto' } }],
    };
  }
  return {
    ...base,
    grid: { left: 70, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: spec.categories, axisLabel: { fontFamily: 'Roboto', hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { fontFamily: 'Roboto' } },
    series: spec.series.map((s) => ({
      name: s.name,
      type: spec.kind === 'line' ? ('line' as const) : ('bar' as const),
      data: s.values,
      ...(spec.kind === 'stacked-bar' ? { stack: 'total' } : {}),
      ...(spec.kind === 'line' ? { showSymbol: spec.categories.length <= 40 } : {}),
    })),
  };
}

export function renderChartSvg(spec: ChartSpec, size: { width: number; height: number } = { width: 760, height: 300 }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(chartOption(spec));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
