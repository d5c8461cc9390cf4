export { Evaluator, resetEvaluatorState } from './evaluator';
export type { EvaluatorOptions, EvaluatorLogger, EvaluatorState } from './evaluator';
export { createEvaluatorArea, DISABLED_ALERTS } from './evaluator-area';
export type { EvaluatorArea, EvaluatorAreaOptions } from './evaluator-area';
export { buildDefaultRules, specRules } from '../rules/default-rules';
export { describeEffectiveRules, describeRule } from '../rules/describe-rules';
export { compileRules, parseMatcher } from './rule-compiler';
export type { CompiledRule, CompileResult, Matcher } from './rule-compiler';
export { KNOWN_METRICS } from '../metrics/known-metrics';
export type { KnownMetric, MetricKind } from '../metrics/known-metrics';
export { AlertEvents } from './alert-events';
export { ReportHistory, REPORT_METRICS } from '../report/report-history';
export { registerFilesystemUtilization, filesystemUtilization } from '../host-metrics/fs-utilization';
export { registerProcessMetrics } from '../host-metrics/process-metrics';
export { IsolatedRuntimeNodeInstrumentation, runAsEvaluatorCollection, isolateStatefulMeter, STATEFUL_RUNTIME_METRICS } from '../host-metrics/collection-isolation';
export { renderTemplate } from './templates';
export {
  METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION, METRIC_SYSTEM_FILESYSTEM_UTILIZATION,
  ATTR_CPU_MODE, ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT,
} from '../host-metrics/semconv';
export type {
  Alert, AlertState, AlertEventName, AlertListener, AlertsApi, Severity, RuleHealth, RuleStatus, DefaultRulesOptions,
  ReportOptions, PerformanceReport, AreaReport, LatencySummary, ReportPoint, QueryReport, MemoryReport, Rule, RuleInput,
} from './types';
