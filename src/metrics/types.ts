/** The kind of a metric as the evaluator reads it. */
export type MetricKind = 'counter' | 'updown' | 'gauge' | 'histogram';

/** A metric the evaluator knows before it has seen any data (docs/metrics.md lists them). */
export interface KnownMetric {
  kind: MetricKind;
  /** Attribute keys it carries; filters and group-by on other keys are typos. */
  attributes: readonly string[];
}
