import type { AlertRecord } from './state-machine';

/**
 * Critical inhibits warning of the same alert: the group keys (rule + label set) whose critical
 * alert is firing. Alertmanager's inhibit rule `source: severity=critical, target:
 * severity=warning, equal: [alertname, <group labels>]`.
 */
export function inhibitingGroups(records: Iterable<AlertRecord>): Set<string> {
  const out = new Set<string>();
  for (const r of records) if (r.severity === 'critical' && r.state === 'firing') out.add(r.groupKey);
  return out;
}

/** True when the record is a warning muted by a firing critical of the same group. */
export function isInhibited(rec: AlertRecord, inhibiting: ReadonlySet<string>): boolean {
  return rec.severity === 'warning' && inhibiting.has(rec.groupKey);
}
