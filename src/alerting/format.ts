import type { Alert, Notification } from './types';

/** Formats a number the way a human reads an alert: 3 significant digits, no exponent for normal ranges. */
export function formatValue(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return 'n/a';
  if (Math.abs(v) >= 1000 || Number.isInteger(v)) return String(Math.round(v * 100) / 100);
  return String(Number(v.toPrecision(3)));
}

/** `alertname` of an alert (rules always set it). */
export function alertName(a: Alert): string {
  return a.labels.alertname ?? 'unnamed';
}

/** One line per alert: what, how bad, value vs level, since when. */
export function describeAlert(a: Alert, now = new Date()): string {
  const sev = a.labels.severity ?? 'unknown';
  const summary = a.annotations.summary ?? a.annotations.description ?? '';
  const vs = a.value !== undefined ? ` value ${formatValue(a.value)}${a.threshold !== undefined ? ` vs level ${formatValue(a.threshold)}` : ''}` : '';
  const since = a.status === 'resolved' && a.endsAt
    ? `resolved at ${a.endsAt.toISOString()}`
    : `firing since ${a.startsAt.toISOString()} (${Math.max(0, Math.round((now.getTime() - a.startsAt.getTime()) / 60_000))} min)`;
  const extra = Object.entries(a.labels).filter(([k]) => k !== 'alertname' && k !== 'severity').map(([k, v]) => `${k}=${v}`).join(' ');
  return `[${sev.toUpperCase()}] ${alertName(a)}${extra ? ` {${extra}}` : ''}:${vs}, ${since}${summary ? ` - ${summary}` : ''}`;
}

/** A short title for a notification. */
export function notificationTitle(n: Notification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const resolved = n.alerts.length - firing;
  const names = [...new Set(n.alerts.map(alertName))].join(', ');
  const head = n.status === 'resolved' ? 'RESOLVED' : n.reason === 'escalation' ? 'ESCALATED' : 'FIRING';
  return `${head}${firing ? ` ${firing} firing` : ''}${resolved ? ` ${resolved} resolved` : ''}: ${names}`;
}
