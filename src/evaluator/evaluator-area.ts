import type { MetricProducer, MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { InspectionReader } from '../metrics/inspection-reader';
import type { Component } from '../sdk/types';
import { bindActiveAlertsMetric } from './active-alerts-metric';
import { runAsEvaluatorCollection } from '../host-metrics/collection-isolation';
import { buildDefaultRules } from '../rules/default-rules';
import { Evaluator } from './evaluator';
import { registerFilesystemUtilization } from '../host-metrics/fs-utilization';
import { registerProcessMetrics } from '../host-metrics/process-metrics';
import { REPORT_METRICS, ReportHistory, reportAreas } from '../report/report-history';
import type { PerformanceReport, ReportOptions } from '../report/types';
import type { AlertsApi, RuleInput } from './types';
import type { RestoreTiming, StoredAlertRecord } from './restore-records';

/** What start() gets: the component plus the APIs it puts on `telemetry`. */
export interface EvaluatorArea {
  component: Component;
  alerts: AlertsApi;
  report(options?: ReportOptions): PerformanceReport;
  /** Names of the rules in effect (their alerts are the evaluator's to restore and resolve). */
  ruleNames: ReadonlySet<string>;
  /** The alert records, for the alert journal. */
  records: { snapshot(): StoredAlertRecord[]; restore(stored: readonly StoredAlertRecord[], timing: RestoreTiming): number };
}

/** Options of {@link createEvaluatorArea}. */
export interface EvaluatorAreaOptions {
  /** Rules other areas export (pg pool rules, rate-limit rules). */
  extraRules?: readonly RuleInput[];
  /** Injected clock (tests). */
  now?: () => number;
}

/**
 * Builds the evaluator for start(): its own MetricReader (stateful runtime callbacks isolated,
 * see collection-isolation.ts), the effective rules, the process/filesystem gauges the default
 * pack reads, the report history and `pulseguard.alerts.active`. Throws a ConfigError when a rule
 * has a typo.
 */
export function createEvaluatorArea(config: PulseguardConfig, logger: Logger, options: EvaluatorAreaOptions = {}): EvaluatorArea {
  const rules = buildDefaultRules(config, { extraRules: options.extraRules });
  registerProcessMetrics();
  if (config.thresholds.resources.storagePaths.length > 0) registerFilesystemUtilization(config.thresholds.resources.storagePaths);
  let reader: MetricReader | undefined;
  const collect = async (): Promise<ResourceMetrics> => {
    if (!reader) throw new Error('the evaluator reader is not registered yet');
    const r = reader;
    return (await runAsEvaluatorCollection(() => r.collect())).resourceMetrics;
  };
  const history = new ReportHistory(reportAreas(config.rateLimits.websocketConnections.total), config.rules.historyMs,
    config.thresholds.database.queryTime, options.now);
  const evaluator = new Evaluator({
    rules, collect, intervalMs: config.rules.evaluationIntervalMs, now: options.now, logger: logger.child({ component: 'evaluator' }),
    stateKey: `${config.service.name}\u0000${config.service.instanceId}`,
    extraRetention: new Map(REPORT_METRICS.map((n) => [n, 0])),
    afterIngest: (store, now) => history.record(store, now),
  });
  const alerts: AlertsApi = {
    on: (event, fn) => evaluator.events.on(event, fn),
    off: (event, fn) => evaluator.events.off(event, fn),
    active: () => evaluator.active(),
    rules: () => evaluator.rules(),
    evaluateNow: () => evaluator.evaluateNow(),
  };
  const component: Component = {
    name: 'evaluator',
    readers(producers: MetricProducer[]): MetricReader[] {
      reader = new InspectionReader({ metricProducers: producers });
      return [reader];
    },
    start() {
      bindActiveAlertsMetric(() => evaluator.active());
      evaluator.start();
    },
    async shutdown() {
      await evaluator.stop();
      bindActiveAlertsMetric(undefined);
    },
  };
  return {
    component, alerts, report: (o) => history.report(o),
    ruleNames: new Set(evaluator.compiled.map((c) => c.rule.name)),
    records: { snapshot: () => evaluator.journalRecords(), restore: (stored, timing) => evaluator.restoreRecords(stored, timing) },
  };
}

/** `telemetry.alerts` when `rules.enabled` is false: no events, nothing active. */
export const DISABLED_ALERTS: AlertsApi = {
  on: () => () => {},
  off: () => {},
  active: () => [],
  rules: () => [],
  evaluateNow: async () => {},
};
