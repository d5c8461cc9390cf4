import { splitPolicyName } from './policies';
import type { PolicyMetrics } from './metrics';
import type { PolicyRateStatus, RateLimitHealthSnapshot } from './health-snapshot';

export type { PolicyRateStatus, RateLimitHealthSnapshot };

interface Snapshot {
  t: number;
  counts: Map<string, { total: number; throttled: number }>;
}

const WINDOW_MS = 60_000;

function totals(m: PolicyMetrics): { total: number; throttled: number } {
  const d = m.decisions;
  return { total: d.allowed.value + d.throttled.value + d.queued.value + d.store_error.value, throttled: d.throttled.value };
}

/**
 * What the health figures read from the registry (RateLimitRegistry satisfies it); declared here so
 * this module does not import the registry that creates it.
 */
export interface RateLimitHealthSource {
  policyEntries(): Iterable<{ readonly name: string; readonly metrics: PolicyMetrics; readonly policy: { points: number; durationMs: number } }>;
  connectionMetrics(): { perUser: PolicyMetrics; total: PolicyMetrics };
  readonly connectionCaps: { perUser: number; total: number };
  readonly activeConnections: number;
  readonly degraded: boolean;
  readonly breakerState?: 'closed' | 'open' | 'half_open';
  readonly storeKind: 'memory' | 'redis';
}

/**
 * Builds the reporter of the `/health/rate-limits` figures. Rates come from the cumulative
 * decision counters compared with a snapshot about a minute old; snapshots are taken when the
 * figures are read, so there is no timer. No status: the rule HighThrottleRate judges the same
 * counters (one judge, src/health/rule-judge.ts).
 */
export function createRateLimitHealth(limits: RateLimitHealthSource, options: { now?: () => number } = {}): () => RateLimitHealthSnapshot {
  const now = options.now ?? Date.now;
  const snapshots: Snapshot[] = [{ t: now(), counts: new Map() }];
  return () => {
    const t = now();
    const current: Snapshot = { t, counts: new Map() };
    const groups: RateLimitHealthSnapshot['metrics'] = { telegram: {}, api: {}, websocket: {} };
    // The base: the newest snapshot at least a minute old, else the oldest one.
    while (snapshots.length > 1 && t - snapshots[1].t >= WINDOW_MS) snapshots.shift();
    const base = snapshots[0];
    const minutes = Math.max(t - base.t, 1) / WINDOW_MS;
    let recentTotal = 0;
    let recentThrottled = 0;
    let throttledCount = 0;
    let fallbacks = 0;
    const add = (name: string, m: PolicyMetrics, limit: number, windowSeconds: number): void => {
      const c = totals(m);
      current.counts.set(name, c);
      const b = base.counts.get(name) ?? { total: 0, throttled: 0 };
      recentTotal += c.total - b.total;
      recentThrottled += c.throttled - b.throttled;
      throttledCount += c.throttled;
      fallbacks += m.fallbacks.value;
      const { group, local } = splitPolicyName(name);
      groups[group] ??= {};
      groups[group][local] = {
        limit,
        windowSeconds,
        requestsPerMinute: round((c.total - b.total) / minutes),
        throttledPerMinute: round((c.throttled - b.throttled) / minutes),
        allowed: m.decisions.allowed.value,
        throttled: m.decisions.throttled.value,
        queued: m.decisions.queued.value,
        storeErrors: m.decisions.store_error.value,
      } satisfies PolicyRateStatus;
    };
    for (const e of limits.policyEntries()) add(e.name, e.metrics, e.policy.points, Math.ceil(e.policy.durationMs / 1000));
    const ws = limits.connectionMetrics();
    add('websocket.connections.perUser', ws.perUser, limits.connectionCaps.perUser, 0);
    add('websocket.connections.total', ws.total, limits.connectionCaps.total, 0);
    groups.websocket.connections = { active: limits.activeConnections, ...limits.connectionCaps };
    snapshots.push(current);
    if (snapshots.length > 64) snapshots.splice(1, snapshots.length - 64); // bounded even if read very often
    const recent = recentTotal > 0 ? recentThrottled / recentTotal : 0;
    return {
      metrics: groups,
      throttled: { count: throttledCount, rate: round(recentThrottled / minutes), recent: round(recent) },
      store: { kind: limits.storeKind, fallback: limits.degraded, fallbacks, ...(limits.breakerState && { breaker: limits.breakerState }) },
      timestamp: new Date(t).toISOString(),
    };
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
