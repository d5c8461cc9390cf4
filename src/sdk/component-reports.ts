import type { Health } from '../health/types';
import type { WebSocketTelemetry } from '../../instrumentations/ws/types';
import { websocketHealthResponse } from '../../instrumentations/ws/health';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';
import type { RateLimits } from '../limits/types';
import type { AlertsApi } from '../evaluator/types';
import { judgeComponent, type Judgement } from '../health/rule-judge';

/** The areas that feed /health/websocket, /health/telegram and /health/rate-limits. */
export interface ReportingAreas {
  websocket: WebSocketTelemetry | undefined;
  telegram: TelegramTelemetry | undefined;
  limits: RateLimits;
  /** The evaluator's alerts: the one judge of the endpoints' status; undefined when rules.enabled is false. */
  alerts: Pick<AlertsApi, 'active'> | undefined;
}

/** Points each component endpoint at the area that knows its state; a disabled area stays "not configured". */
export function registerComponentReports(health: Health, areas: ReportingAreas): void {
  const { websocket, telegram, limits, alerts } = areas;
  if (websocket) {
    health.setComponentReport('websocket', () => {
      const judged = judgeComponent('websocket', alerts?.active());
      return { ...websocketHealthResponse(websocket.health()).body, ...judged };
    });
  }
  // Spread into plain objects: the report interfaces are closed, the endpoint body is open.
  if (telegram) {
    health.setComponentReport('telegram', async () => {
      const report = await telegram.report();
      return { ...report, ...sessionAware(judgeComponent('telegram', alerts?.active()), report.session?.health.healthy) };
    });
  }
  health.setComponentReport('rate-limits', () => {
    const body = limits.health();
    return { ...body, ...storeAware(judgeComponent('rate-limits', alerts?.active()), body.store.fallback) };
  });
}

/**
 * A Redis store in fallback (insurance limiters answering) is a state, not a threshold over the
 * metric stream, so no rule sees it: it degrades /health/rate-limits when no rule already does.
 */
function storeAware(j: Judgement, fallback: boolean): Judgement {
  if (!fallback || j.status !== 'healthy') return j;
  return { ...j, status: 'degraded', decidedBy: { rule: null, field: 'store.fallback', value: 1, level: 'warning' } };
}

/**
 * A monitored session that is down is a state the session monitor sees before any metric does:
 * it makes /health/telegram unhealthy whatever the rules say (a critical rule already decides).
 */
function sessionAware(j: Judgement, sessionHealthy: boolean | undefined): Judgement {
  if (sessionHealthy !== false || j.decidedBy?.level === 'critical') return j;
  return { ...j, status: 'unhealthy', decidedBy: { rule: null, field: 'session.health.healthy', value: 0, level: 'critical' } };
}
