import { pulseguardMetrics } from '../metrics/registry';
import type { ObservedValue } from '../metrics/hot-metrics';
import { ATTR_ALERTNAME, ATTR_SEVERITY, METRIC_PULSEGUARD_ALERTS_ACTIVE } from '../semconv';
import type { Alert } from './types';

type ActiveSource = () => readonly Alert[];

const REGISTERED = Symbol.for('pulseguard.evaluator.alertsActiveMetric');
type Holder = { source: ActiveSource | undefined; seen: Map<string, { alertname: string; severity: string }> };
type GlobalWithHolder = typeof globalThis & { [REGISTERED]?: Holder };

/**
 * Registers `pulseguard.alerts.active{alertname,severity}` once per process (the hot registry
 * is process-wide) and points it at the running evaluator. Firing alerts are counted; an
 * alertname/severity that fired once in this process stays at 0 afterwards, so dashboards see it
 * go back down instead of vanishing.
 */
export function bindActiveAlertsMetric(source: ActiveSource | undefined): void {
  const g = globalThis as GlobalWithHolder;
  let holder = g[REGISTERED];
  if (!holder) {
    const h: Holder = { source: undefined, seen: new Map() };
    holder = h;
    g[REGISTERED] = h;
    pulseguardMetrics.observe(
      { name: METRIC_PULSEGUARD_ALERTS_ACTIVE, description: 'Alerts currently firing (inhibited warnings are not counted).', unit: '{alert}' },
      (): ObservedValue[] => {
        const counts = new Map<string, number>();
        for (const a of h.source?.() ?? []) {
          if (a.state !== 'firing') continue;
          const key = `${a.alertname}\u0000${a.severity}`;
          if (!h.seen.has(key)) h.seen.set(key, { alertname: a.alertname, severity: a.severity });
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const out: ObservedValue[] = [];
        for (const [key, v] of h.seen) out.push({ value: counts.get(key) ?? 0, attributes: { [ATTR_ALERTNAME]: v.alertname, [ATTR_SEVERITY]: v.severity } });
        return out;
      },
    );
  }
  holder.source = source;
}
