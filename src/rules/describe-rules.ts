import type { PulseguardConfig } from '../config/types';
import { buildDefaultRules } from './default-rules';
import { HEALTH_ANNOTATION, HEALTH_FIELD_ANNOTATION } from '../health/rule-judge';
import type { Rule, RuleInput } from '../evaluator/types';

function duration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function matchers(filter: Record<string, string> | undefined): string {
  const parts = Object.entries(filter ?? {}).map(([k, v]) => (/^(!=|=~|!~)/.test(v) ? `${k}${v.slice(0, 2)}"${v.slice(2)}"` : `${k}="${v}"`));
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** One line describing a rule: `Name: p95(metric{...}[5m]) by (x) *1000 > warning 100, critical 500 for 1m`. */
export function describeRule(rule: Rule): string {
  const expr = rule.statistic === 'ratio'
    ? `ratio(${rule.metric}${matchers(rule.filter)} / ${rule.denominator}${matchers(rule.denominatorFilter)}[${duration(rule.window)}])`
    : `${rule.statistic}(${rule.metric}${matchers(rule.filter)}[${duration(rule.window)}])`;
  const by = rule.groupBy.length > 0 ? ` by (${rule.groupBy.join(', ')})` : '';
  const scale = rule.scale !== 1 ? ` * ${Number(rule.scale.toPrecision(4))}` : '';
  const levels = [rule.warning !== undefined ? `warning ${rule.warning}` : '', rule.critical !== undefined ? `critical ${rule.critical}` : ''].filter(Boolean).join(', ');
  const timing = `${rule.for > 0 ? ` for ${duration(rule.for)}` : ''}${rule.keepFiringFor > 0 ? ` keep ${duration(rule.keepFiringFor)}` : ''}`;
  const recovery = rule.recovery ? ` -> recovery ${rule.recovery}` : '';
  // Which component endpoint the rule judges, so `pulseguard check` shows the health rules too.
  const component = rule.annotations[HEALTH_ANNOTATION];
  const health = component ? ` -> health /health/${component} ${rule.annotations[HEALTH_FIELD_ANNOTATION] ?? ''}`.trimEnd() : '';
  return `${rule.name}: ${expr}${by}${scale} ${rule.comparison} ${levels}${timing}${recovery}${health}`;
}

/**
 * The effective rules of a configuration, one line each, for `pulseguard check`. Throws a
 * ConfigError when `rules.disable` names no rule. With `rules.enabled: false` it says so.
 */
export function describeEffectiveRules(config: PulseguardConfig, extraRules: readonly RuleInput[] = []): string[] {
  if (!config.rules.enabled) return ['(rules.enabled is false: the evaluator does not run)'];
  return buildDefaultRules(config, { extraRules }).map(describeRule);
}
