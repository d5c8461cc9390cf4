export { buildRuleFile, renderRuleFile, alertingRules, toPrometheusTemplate } from './rule-file';
export {
  valuePromql, rulePromql, promName, promDuration, promNumber, metricKind, matchers,
  ratePromql, increasePromql, lastPromql, avgPromql, maxPromql, quantilePromql, ratioPromql,
} from './rule-to-promql';
export type { PromqlContext } from './rule-to-promql';
export { toYaml } from './yaml-writer';
export type { YamlValue } from './yaml-writer';
export type { GeneratorRule, PrometheusAlertingRule, PrometheusRuleFile, PrometheusRuleGroup, RuleFileOptions } from './types';
