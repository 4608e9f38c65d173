/**
 * Charts with Apache ECharts (tree-shaken: bar chart, grid, legend, tooltip, SVG renderer). The SVG
 * renderer draws real elements, so the browser test can count the marks, and nothing is fetched at
 * run time.
 */
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export interface BarSeries {
  name: string;
  data: number[];
  color?: string;
}

export function StackedBars(props: { title: string; categories: string[]; series: BarSeries[]; testid?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true, label: { description: props.title } },
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: props.categories },
      yAxis: { type: 'value', minInterval: 1 },
      series: props.series.map((s) => ({ type: 'bar', stack: 'all', name: s.name, data: s.data, ...(s.color ? { itemStyle: { color: s.color } } : {}) })),
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [JSON.stringify(props)]);
  return <div class="chart" ref={el} role="img" aria-label={props.title} data-testid={props.testid} />;
}

export const STAGE_COLORS: Record<string, string> = { reminder: '#3b7dd8', warning: '#d89b1c', claim: '#c8553d', litigation: '#6b3fa0' };

/** A chart as the reports describe it (bar, line, stacked bar or pie; one category axis). */
export function SpecChart(props: {
  spec: { title: string; kind: 'bar' | 'line' | 'stacked-bar' | 'pie'; categories: string[]; series: { name: string; values: number[] }[] };
  testid?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const { spec } = props;
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    const pie = spec.kind === 'pie';
    chart.setOption({
      aria: { enabled: true, label: { description: spec.title } },
      animation: false,
      title: { text: spec.title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: pie ? 'item' : 'axis' },
      legend: { top: 22 },
      ...(pie
        ? { series: [{ type: 'pie', radius: '60%', top: 40, data: spec.categories.map((c, i) => ({ name: c, value: spec.series[0]?.values[i] ?? 0 })) }] }
        : {
            grid: { left: 60, right: 16, top: 60, bottom: 40 },
            xAxis: { type: 'category', data: spec.categories },
            yAxis: { type: 'value' },
            series: spec.series.map((s) => ({
              type: spec.kind === 'line' ? 'line' : 'bar',
              name: s.name,
              data: s.values,
              ...(spec.kind === 'stacked-bar' ? { stack: 'all' } : {}),
            })),
          }),
    });
    return () => chart.dispose();
  }, [JSON.stringify(spec)]);
  return <div class="chart" ref={el} role="img" aria-label={spec.title} data-testid={props.testid} />;
}
