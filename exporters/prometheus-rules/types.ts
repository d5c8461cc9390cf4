import type { Rule, Severity } from '../../src/evaluator/types';

/** A rule as the generators read it (the evaluator's resolved rule). */
export type GeneratorRule = Rule;

/** One Prometheus alerting rule, one per pulseguard rule and severity. */
export interface PrometheusAlertingRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One rule group (one per `area` label). */
export interface PrometheusRuleGroup {
  name: string;
  interval?: string;
  rules: PrometheusAlertingRule[];
}

/** A whole rule file. */
export interface PrometheusRuleFile {
  groups: PrometheusRuleGroup[];
}

/** Options of {@link buildRuleFile}. */
export interface RuleFileOptions {
  /** Group evaluation interval, e.g. the evaluator's `rules.evaluationIntervalMs`. */
  evaluationIntervalMs?: number;
  /**
   * Labels every aggregation keeps, so an alert is per instance like the in-process evaluator's.
   * @default ['job', 'instance']
   */
  instanceLabels?: readonly string[];
}

export type { Severity };
