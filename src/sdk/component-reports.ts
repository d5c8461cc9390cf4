import type { Health, Judgement } from '../health/types';
import type { WebSocketTelemetry, WsHealthSnapshot } from '../../instrumentations/ws/types';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';
import type { SessionReport } from '../../instrumentations/telegram/telegram-health';
import type { RateLimits } from '../limits/types';
import type { AlertsApi } from '../evaluator/types';
import { judgeComponent } from '../health/rule-judge';

/** The areas that feed /health/websocket, /health/telegram and /health/rate-limits. */
export interface ReportingAreas {
  websocket: WebSocketTelemetry | undefined;
  telegram: TelegramTelemetry | undefined;
  limits: RateLimits;
  /** The evaluator's alerts: the one judge of the endpoints' status; undefined when rules.enabled is false. */
  alerts: Pick<AlertsApi, 'active'> | undefined;
}

/**
 * Points each component endpoint at the area that knows its figures; the status is the rules'
 * judgement, never the area's. `telemetry.health.componentReport(name)` runs the same provider,
 * so the programmatic status, the endpoint and the alerts agree. A disabled area stays "not
 * configured".
 */
export function registerComponentReports(health: Health, areas: ReportingAreas): void {
  const { websocket, telegram, limits, alerts } = areas;
  if (websocket) {
    health.setComponentReport('websocket', () => ({ ...websocketFigures(websocket.health()), ...judgeComponent('websocket', alerts?.active()) }));
  }
  // Spread into plain objects: the report interfaces are closed, the endpoint body is open.
  if (telegram) {
    health.setComponentReport('telegram', async () => {
      const report = await telegram.report();
      return { ...report, ...sessionAware(judgeComponent('telegram', alerts?.active()), report.sessions ?? []) };
    });
  }
  health.setComponentReport('rate-limits', () => {
    const figures = limits.health();
    return { ...figures, ...storeAware(judgeComponent('rate-limits', alerts?.active()), figures.store.fallback) };
  });
}

/** The spec's `/health/websocket` fields: `metrics.{connections, messageRate, errorRate, averageLatency}` and the time. */
function websocketFigures(s: WsHealthSnapshot): { metrics: Record<string, number>; timestamp: string } {
  return {
    metrics: { connections: s.clientCount, messageRate: s.messageRate, errorRate: s.errorRate, averageLatency: s.averageLatency },
    timestamp: s.timestamp,
  };
}

/**
 * A Redis store in fallback (insurance limiters answering) is a state, not a threshold over the
 * metric stream: the rule RateLimitStoreDegraded sees it only after a minute, so the state itself
 * degrades /health/rate-limits at once when no rule already does.
 */
function storeAware(j: Judgement, fallback: boolean): Judgement {
  if (!fallback || j.status !== 'healthy') return j;
  return { ...j, status: 'degraded', decidedBy: { rule: null, field: 'store.fallback', value: 1, level: 'warning' } };
}

/**
 * A monitored session that is down is a state the session monitor sees before any metric does:
 * it makes /health/telegram unhealthy whatever the rules say (a critical rule already decides).
 * Every monitored session counts; the body names the first one down.
 */
function sessionAware(j: Judgement, sessions: readonly SessionReport[]): Judgement {
  const down = sessions.findIndex((s) => !s.health.healthy);
  if (down < 0 || j.decidedBy?.level === 'critical') return j;
  const field = down === 0 ? 'session.health.healthy' : `sessions[${down}].health.healthy`;
  return { ...j, status: 'unhealthy', decidedBy: { rule: null, field, value: 0, level: 'critical' } };
}
