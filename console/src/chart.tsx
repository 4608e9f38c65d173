/**
 * Charts with Apache ECharts (tree-shaken: bar chart, grid, legend, tooltip, SVG renderer). The SVG
 * renderer draws real elements, so the browser test can count the marks, and nothing is fetched at
 * run time.
 */
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

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
