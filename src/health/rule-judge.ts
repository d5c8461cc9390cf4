import type { Alert } from '../evaluator/types';
import type { ComponentName, DecidedBy, Judgement } from './types';

export type { DecidedBy, Judgement };

/**
 * Annotation that puts a rule behind a component endpoint: `health: "websocket"` makes the
 * rule's firing alerts decide /health/websocket. Annotations, not labels, so that tagging a rule
 * does not change its alerts' identity. Custom rules may carry it too.
 */
export const HEALTH_ANNOTATION = 'health';
/** Annotation naming the body field the rule's value stands for (e.g. "errorRate"). */
export const HEALTH_FIELD_ANNOTATION = 'health_field';

const NOT_JUDGED: Judgement = {
  status: 'healthy',
  decidedBy: null,
  judged: false,
  note: 'rules.enabled is false: no rule judges this endpoint, so it reports healthy by default',
};

/**
 * The component's status from the alerts the evaluator has firing now: a firing critical alert of
 * a rule tagged for the component makes it unhealthy, a firing warning degraded. Pending alerts
 * (their `for` has not elapsed) do not count, exactly as they are not sent: so the endpoint and the
 * alerts agree at every evaluation. The worst alert decides; ties go to the larger value.
 */
export function judgeComponent(component: ComponentName, active: readonly Readonly<Alert>[] | undefined): Judgement {
  if (active === undefined) return NOT_JUDGED;
  let worst: Readonly<Alert> | undefined;
  for (const a of active) {
    if (a.state !== 'firing' || a.annotations[HEALTH_ANNOTATION] !== component) continue;
    if (!worst || rank(a) > rank(worst) || (rank(a) === rank(worst) && a.value > worst.value)) worst = a;
  }
  if (!worst) return { status: 'healthy', decidedBy: null, judged: true };
  return {
    status: worst.severity === 'critical' ? 'unhealthy' : 'degraded',
    decidedBy: {
      rule: worst.alertname,
      field: worst.annotations[HEALTH_FIELD_ANNOTATION] ?? worst.alertname,
      value: worst.value,
      level: worst.severity === 'critical' ? 'critical' : 'warning',
    },
    judged: true,
  };
}

function rank(a: Readonly<Alert>): number {
  return a.severity === 'critical' ? 2 : 1;
}
