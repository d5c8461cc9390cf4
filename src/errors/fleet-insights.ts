import { parseDuration } from '../config/schema/checks';
import { withTimeout } from '../internal/safe-call';

/**
 * Error insights for a whole fleet, from Prometheus (`pulseguard report`). Prometheus holds
 * `pulseguard_errors_tracked_total` by `error_class` only (fingerprints are never metric
 * attributes), so the fleet view is per class; per-group insights come from
 * `telemetry.errors.generateInsights()` in each process.
 */

/** One error class over the period. */
export interface FleetErrorClass {
  errorClass: string;
  /** Errors over the whole period. */
  total: number;
  /** Errors in the second half of the period, and in the first half. */
  lastHalf: number;
  previousHalf: number;
}

/** The errors section of the fleet report. */
export interface FleetErrorInsights {
  /** Classes by errors over the period, most first. */
  topClasses: FleetErrorClass[];
  /** Classes with errors in the second half of the period and none in the first. */
  newClasses: FleetErrorClass[];
  /** Classes with at least 5 errors in the second half and at least twice the first half. */
  risingClasses: FleetErrorClass[];
}

interface PromResponse { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value?: [number, string] }> } }

/** The Prometheus name of pulseguard.errors.tracked. */
export const ERRORS_TRACKED_METRIC = 'pulseguard_errors_tracked_total';

/** Queries Prometheus for the errors section. */
export async function fleetErrorInsights(options: { url: string; period?: string | number; end?: number; timeoutMs?: number }): Promise<FleetErrorInsights> {
  const base = options.url.replace(/\/+$/, '');
  const periodMs = parseDuration(options.period ?? '1h');
  const endS = (options.end ?? Date.now()) / 1000;
  const half = Math.max(1, Math.round(periodMs / 2000));
  const byClass = async (rangeS: number, atS: number): Promise<Map<string, number>> => {
    const res = await withTimeout(fetch(`${base}/api/v1/query`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: `sum by (error_class) (increase(${ERRORS_TRACKED_METRIC}[${rangeS}s]))`, time: String(atS) }).toString(),
    }), options.timeoutMs ?? 10_000, 'Prometheus /api/v1/query');
    const body = (await res.json()) as PromResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`Prometheus /api/v1/query failed: ${body.error ?? res.status}`);
    const out = new Map<string, number>();
    for (const s of body.data.result) {
      const v = Number(s.value?.[1]);
      if (Number.isFinite(v)) out.set(s.metric.error_class ?? 'unknown', v);
    }
    return out;
  };
  const [total, last, previous] = await Promise.all([byClass(2 * half, endS), byClass(half, endS), byClass(half, endS - half)]);
  return errorInsightsOf(total, last, previous);
}

/**
 * Top, new and rising classes from the errors per class over a period and over its two halves
 * (from Prometheus above, or from three scrapes of one service's /metrics).
 */
export function errorInsightsOf(total: ReadonlyMap<string, number>, last: ReadonlyMap<string, number>, previous: ReadonlyMap<string, number>): FleetErrorInsights {
  const classes: FleetErrorClass[] = [...total].filter(([, n]) => n > 0).map(([c, n]) => ({
    errorClass: c, total: Math.round(n), lastHalf: Math.round(last.get(c) ?? 0), previousHalf: Math.round(previous.get(c) ?? 0),
  }));
  return {
    topClasses: [...classes].sort((a, b) => b.total - a.total),
    newClasses: classes.filter((c) => c.lastHalf > 0 && c.previousHalf === 0),
    risingClasses: classes.filter((c) => c.lastHalf >= 5 && c.lastHalf >= 2 * c.previousHalf).sort((a, b) => (b.lastHalf - b.previousHalf) - (a.lastHalf - a.previousHalf)),
  };
}

/** The errors section as text. */
export function formatFleetErrorInsights(i: FleetErrorInsights): string {
  const row = (c: FleetErrorClass): string => `  ${c.errorClass.padEnd(15)} ${String(c.total).padStart(8)}   first half ${c.previousHalf}, second half ${c.lastHalf}`;
  const list = (title: string, items: FleetErrorClass[]): string[] => [title, ...(items.length ? items.map(row) : ['  none'])];
  return [
    ...list('errors by class (pulseguard.errors.tracked):', i.topClasses),
    ...list('new error classes (none in the first half of the period):', i.newClasses),
    ...list('rising error classes (second half at least twice the first):', i.risingClasses),
  ].join('\n');
}
