/**
 * Business metrics operators alarm on. Use cases count through this port and never see a metrics SDK:
 * in Lambda the adapter is Powertools Metrics (CloudWatch embedded metric format, namespace
 * "claimflow"); locally and in tests an in-memory recorder or nothing (functions/adapters/metrics.ts).
 */

/**
 * - `LettersSent`: letters sent by a finished (not dry) run, dimension `stage`;
 * - `AmbiguousLetters`: letters of a finished run that may or may not have gone out (an operator must settle them);
 * - `FailedCustomers`: customers a finished run could not process;
 * - `IngestRefusals`: webhook events refused (bad signature, invalid input, a closed period …), dimensions `source` and `code`.
 */
export type BusinessMetricName = 'LettersSent' | 'AmbiguousLetters' | 'FailedCustomers' | 'IngestRefusals';

export interface BusinessMetrics {
  /** Adds `value` (a count) to the metric, with the given dimensions. Never throws. */
  count(name: BusinessMetricName, value: number, dimensions?: Readonly<Record<string, string>>): void;
}
