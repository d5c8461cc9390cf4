import { redactString } from '../logging/redaction';
import { safeCall } from '../internal/safe-call';
import type { Alert, BeforeSendAlert } from './types';

/** pulseguard.internal.errors{component} of a throwing alerting.beforeSend hook. */
const HOOK_COMPONENT = 'alerting.beforeSend';

function redactRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'string' ? redactString(v) : v;
  return out;
}

/**
 * Redacts an alert's labels, annotations and generator URL (a template can pull a label value or
 * an error message into a summary), then gives the app's `beforeSend` its say. Returns the alert
 * to send, or null when the hook dropped it. Every alert enters the pipeline through here, so no
 * channel (log, Slack, e-mail, webhook, Alertmanager) can see an unredacted one.
 */
export function scrubAlert(alert: Alert, beforeSend: BeforeSendAlert | undefined): Alert | null {
  const clean: Alert = { ...alert, labels: redactRecord(alert.labels), annotations: redactRecord(alert.annotations) };
  if (alert.generatorURL !== undefined) clean.generatorURL = redactString(alert.generatorURL);
  if (!beforeSend) return clean;
  const out = safeCall(HOOK_COMPONENT, beforeSend, clean);
  if (out === null) return null;
  return out !== undefined && typeof out === 'object' ? out : clean;
}
