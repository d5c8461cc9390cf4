import type { CompiledRule } from './rule-compiler';
import type { AlertRecord } from './state-machine';
import { renderTemplate } from './templates';
import type { Alert } from './types';

/** `Name{a="1",b="2"}`: the alert's identity, Prometheus style. */
function alertId(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

/**
 * The public view of an alert record: the rule's static labels, the group's labels, alertname
 * and severity, and the rule's annotations rendered with the record's value. `cr` is the record's
 * rule (undefined for a record whose rule is gone).
 */
export function alertOf(r: AlertRecord, cr: CompiledRule | undefined): Alert {
  const rule = cr?.rule;
  const labels: Record<string, string> = { ...cr?.staticLabels, ...r.groupLabels, alertname: r.ruleName, severity: r.severity };
  const ctx = { value: r.value, threshold: r.threshold, severity: r.severity, alertname: r.ruleName, labels };
  const annotations: Record<string, string> = {};
  for (const [k, t] of Object.entries(rule?.annotations ?? {})) annotations[k] = renderTemplate(t, ctx);
  return {
    id: alertId(r.ruleName, labels),
    alertname: r.ruleName, severity: r.severity, state: r.state, labels, annotations,
    value: r.value, threshold: r.threshold, activeAt: r.activeAt, firedAt: r.firedAt, recovery: rule?.recovery,
  };
}
