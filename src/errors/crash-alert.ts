import type { Alert } from '../alerting/types';
import type { CrashIncident } from './types';
import { ALERT_NAME_PROCESS_CRASHED } from './semconv';

/** The part of the alert dispatcher a crash uses (its public API). */
export interface CrashAlertSink {
  receive(alert: Alert): void;
  shutdown(deadlineMs?: number): Promise<void>;
  pending(): Record<string, number>;
}

/** Who crashed: the service labels the alert carries. */
export interface CrashAlertService {
  name: string;
  instanceId: string;
  version?: string;
  environment?: string;
}

/** The critical alert of a crash, in the pipeline's (Alertmanager) shape. Strings are already redacted. */
export function crashAlert(incident: CrashIncident, service: CrashAlertService): Alert {
  const labels: Record<string, string> = { alertname: ALERT_NAME_PROCESS_CRASHED, severity: 'critical', service: service.name, instance: service.instanceId };
  const annotations: Record<string, string> = {
    summary: `${service.name} crashed: ${incident.type}: ${incident.message}`.slice(0, 500),
    description: `${incident.origin} in ${service.instanceId}; incident ${incident.id}; error class ${incident.errorClass ?? 'unknown'}, fingerprint ${incident.fingerprint}`,
    incident_id: incident.id,
  };
  if (service.version) annotations.release = service.version;
  if (service.environment) annotations.environment = service.environment;
  return { labels, annotations, status: 'firing', startsAt: incident.at };
}

/**
 * Sends the crash alert through every configured channel now: the dispatcher's shutdown skips the
 * group wait and flushes each channel's queue within the deadline (the process is exiting, so the
 * dispatcher is not needed afterwards). True when nothing is left undelivered.
 */
export async function notifyCrash(sink: CrashAlertSink, incident: CrashIncident, service: CrashAlertService, deadlineMs: number): Promise<boolean> {
  sink.receive(crashAlert(incident, service));
  await sink.shutdown(deadlineMs);
  return Object.values(sink.pending()).every((n) => n === 0);
}
