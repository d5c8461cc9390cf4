import { describeEffectiveRules } from '../rules/describe-rules';
import { resolvePolicies } from '../limits/policies';
import type { PulseguardConfig, Rule } from '../config/types';

const LABEL_WIDTH = 18;

function row(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`.trimEnd();
}

/** 300000 -> "5m", 1500 -> "1500ms": the units a Prometheus rule would use. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** One line per custom rule: "slow_api: p95(http.server.request.duration) over 5m > critical 0.5 for 5m". */
export function describeRule(rule: Rule): string {
  const subject = rule.statistic === 'ratio' ? `ratio(${rule.metric} / ${rule.denominator ?? '?'})` : `${rule.statistic}(${rule.metric})`;
  const levels = [rule.warning !== undefined ? `warning ${rule.warning}` : undefined, rule.critical !== undefined ? `critical ${rule.critical}` : undefined]
    .filter((x) => x !== undefined)
    .join(', ');
  const filter = Object.keys(rule.filter).length > 0 ? ` {${Object.entries(rule.filter).map(([k, v]) => `${k}="${v}"`).join(', ')}}` : '';
  const holds = rule.for > 0 ? ` for ${formatDuration(rule.for)}` : '';
  const recovery = rule.recovery ? `, recovery ${rule.recovery}` : '';
  return `${rule.name}: ${subject}${filter} over ${formatDuration(rule.window)} ${rule.comparison} ${levels}${holds}${recovery}`;
}

/**
 * The rules section: every effective rule (the built-in pack minus `rules.disable`, custom rules
 * added or replacing built-ins by name), one line each, as the evaluator will run them.
 */
export function describeRules(config: PulseguardConfig): string[] {
  const rules = config.rules;
  const lines = [row('rules', rules.enabled ? `evaluator on, every ${formatDuration(rules.evaluationIntervalMs)}` : 'evaluator off')];
  if (!rules.enabled) return lines;
  const disabled = rules.disable.length > 0 ? `; disabled by name: ${rules.disable.join(', ')}` : '';
  const effective = describeEffectiveRules(config);
  lines.push(row(`  effective (${effective.length})`, `built-in pack ${rules.defaults ? 'on' : 'off'}${disabled}, ${rules.custom.length} custom`));
  for (const line of effective) lines.push(row('', line));
  return lines;
}

/**
 * The resolved configuration as `pulseguard check` prints it: what will actually run. `input` is
 * what was written; it tells a configured instance id from the per-process default, which would
 * otherwise show the pid of `pulseguard check` itself.
 */
export function summarizeConfig(config: PulseguardConfig, input?: unknown): string[] {
  const { service, exporters, instrumentations, alerting, rateLimits, health } = config;
  const lines: string[] = [];
  const instanceSet = (input as { service?: { instanceId?: unknown } } | undefined)?.service?.instanceId !== undefined;
  const instance = instanceSet ? service.instanceId : '<hostname>-<pid> of each process';
  const serviceExtras = [`version ${service.version}`, `instance ${instance}`, service.environment ? `environment ${service.environment}` : undefined];
  lines.push(row('service', `${service.name} (${serviceExtras.filter((x) => x !== undefined).join(', ')})`));
  lines.push(row('logging', `level ${config.logging.level}`));

  const prom = exporters.prometheus;
  lines.push(row('exporters', ''));
  lines.push(row('  prometheus', prom.enabled ? `http://${prom.host}:${prom.port}${prom.endpoint}` : 'off'));
  const otlp = exporters.otlp;
  const signals = [otlp.traces ? 'traces' : undefined, otlp.metrics ? `metrics every ${formatDuration(otlp.metricsIntervalMs)}` : undefined].filter((x) => x !== undefined);
  lines.push(row('  otlp', otlp.enabled ? `${otlp.endpoint} (${signals.join(', ') || 'no signal enabled'})` : 'off'));

  const entries = Object.entries(instrumentations) as Array<[string, { enabled: boolean }]>;
  const on = entries.filter(([, v]) => v.enabled).map(([k]) => k);
  const off = entries.filter(([, v]) => !v.enabled).map(([k]) => k);
  lines.push(row('instrumentations', `on: ${on.join(', ') || 'none'}${off.length > 0 ? `; off: ${off.join(', ')}` : ''}`));

  lines.push(...describeRules(config));

  const configuredChannels = Object.entries(alerting.channels)
    .filter(([name, c]) => c !== undefined && (name !== 'log' || (c as { enabled: boolean }).enabled))
    .map(([name]) => name);
  lines.push(row('alerting', `channels configured: ${configuredChannels.join(', ') || 'none'}`));
  for (const level of ['high', 'medium', 'low'] as const) {
    const r = alerting.matrix[level];
    lines.push(row(`  ${level}`, `${r.channels.join(', ')}, repeat every ${formatDuration(r.repeatIntervalMs)}, ${r.maxRepeats} repeat${r.maxRepeats === 1 ? '' : 's'}${r.escalation ? ', escalates' : ''}`));
  }
  if (alerting.fleet.enabled) lines.push(row('  fleet', `de-duplicated through the rate limiter's Redis (keys ${alerting.fleet.keyPrefix}:${service.name}:*)`));
  lines.push(row('recovery', config.recovery.enabled ? `on, at most ${config.recovery.maxRunsPerHour} runs per hour` : 'off'));
  const policies = [...resolvePolicies(rateLimits).keys()].sort();
  lines.push(row('rate limits', `store ${rateLimits.store}, ${policies.length} policies: ${policies.join(', ')}`));
  const healthWhere = health.port === undefined ? 'mount the endpoints in your server' : `port ${health.port}`;
  lines.push(row('health', health.enabled ? `on (${healthWhere}; detailed ${health.detailed.enabled ? 'on' : 'off'})` : 'off'));
  return lines;
}
