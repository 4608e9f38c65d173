/**
 * BusinessMetrics adapters: Powertools Metrics for Lambda (each count is emitted at once as one
 * embedded-metric-format log line, so nothing is lost when an invocation ends early), an in-memory
 * recorder for the local stack and tests.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BusinessMetricName, BusinessMetrics } from '../ports/metrics.js';

export const METRICS_NAMESPACE = 'claimflow';

export class PowertoolsMetrics implements BusinessMetrics {
  private readonly metrics: Metrics;

  constructor(opts: { serviceName: string; namespace?: string; metrics?: Metrics }) {
    this.metrics = opts.metrics ?? new Metrics({ namespace: opts.namespace ?? METRICS_NAMESPACE, serviceName: opts.serviceName });
  }

  count(name: BusinessMetricName, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    try {
      const single = this.metrics.singleMetric();
      for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
      single.addMetric(name, MetricUnit.Count, value);
    } catch {
      // Metrics never fail the business operation they describe.
    }
  }
}

/** Counts in memory, keyed "Name" or "Name{dim=value,…}" (dimensions sorted): the local stack and tests read them. */
export class RecordingMetrics implements BusinessMetrics {
  readonly counts = new Map<string, number>();

  count(name: BusinessMetricName, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    const dims = Object.entries(dimensions)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const key = dims ? `${name}{${dims}}` : name;
    this.counts.set(key, (this.counts.get(key) ?? 0) + value);
  }
}
