import type { Alert, ChannelName, Notification } from '../types';
import type { AggregationGroupState } from '../stages/aggregation-group';
import type { QueuedNotification } from '../stages/delivery-queue';
import type { Matcher, Silence } from '../stages/silences';

/** An alert as JSON: times in epoch ms. */
export interface StoredAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt?: number;
  value?: number;
  threshold?: number;
  generatorURL?: string;
}

type StoredNotification = Omit<Notification, 'alerts'> & { alerts: StoredAlert[] };
type StoredGroup = Omit<AggregationGroupState, 'alerts'> & { alerts: StoredAlert[] };
interface StoredQueued { channel: ChannelName; n: StoredNotification; attempts: number; enqueuedAt: number }
interface StoredSilence { id: string; matchers: Matcher[]; endsAt: number; comment?: string }

/** The dispatcher's section of the alert journal. */
export interface DispatcherJournal {
  groups: StoredGroup[];
  /** Undelivered notifications, per channel, oldest first. */
  queued: StoredQueued[];
  /** Silences added at run time (the configured ones come from the configuration again). */
  silences: StoredSilence[];
  /** Firing alerts for Alertmanager (re-sent while firing, once a silence ends). */
  alertmanager: StoredAlert[];
  /** Fingerprints of those Alertmanager was told are firing (owed a resolve). */
  alertmanagerPosted: string[];
}

/** The dispatcher's state in memory, as {@link captureDispatcher} reads it and `restore` applies it. */
export interface DispatcherState {
  groups: AggregationGroupState[];
  queued: { channel: ChannelName; entry: QueuedNotification }[];
  silences: Silence[];
  alertmanager: Alert[];
  alertmanagerPosted: string[];
}

export function storeAlert(a: Alert): StoredAlert {
  const out: StoredAlert = { labels: a.labels, annotations: a.annotations, status: a.status, startsAt: a.startsAt.getTime() };
  if (a.endsAt) out.endsAt = a.endsAt.getTime();
  if (a.value !== undefined) out.value = a.value;
  if (a.threshold !== undefined) out.threshold = a.threshold;
  if (a.generatorURL !== undefined) out.generatorURL = a.generatorURL;
  return out;
}

export function loadAlert(s: StoredAlert): Alert {
  const out: Alert = { labels: { ...s.labels }, annotations: { ...s.annotations }, status: s.status, startsAt: new Date(s.startsAt) };
  if (s.endsAt !== undefined) out.endsAt = new Date(s.endsAt);
  if (s.value !== undefined) out.value = s.value;
  if (s.threshold !== undefined) out.threshold = s.threshold;
  if (s.generatorURL !== undefined) out.generatorURL = s.generatorURL;
  return out;
}

/** The JSON form of the dispatcher's state. */
export function storeDispatcher(s: DispatcherState): DispatcherJournal {
  return {
    groups: s.groups.map((g) => ({ ...g, alerts: g.alerts.map(storeAlert) })),
    queued: s.queued.map(({ channel, entry }) => ({ channel, attempts: entry.attempts, enqueuedAt: entry.enqueuedAt, n: { ...entry.n, alerts: entry.n.alerts.map(storeAlert) } })),
    silences: s.silences.map((x) => ({ id: x.id, matchers: x.matchers, endsAt: x.endsAt.getTime(), ...(x.comment !== undefined ? { comment: x.comment } : {}) })),
    alertmanager: s.alertmanager.map(storeAlert),
    alertmanagerPosted: s.alertmanagerPosted,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The dispatcher's state from the journal's JSON; throws when the section is not in the expected shape. */
export function loadDispatcher(raw: unknown): DispatcherState {
  if (!isObject(raw) || !Array.isArray(raw.groups) || !Array.isArray(raw.queued) || !Array.isArray(raw.silences) || !Array.isArray(raw.alertmanager)) {
    throw new Error('alert journal: the dispatcher section is not in the expected shape');
  }
  const j = raw as unknown as DispatcherJournal;
  return {
    groups: j.groups.map((g) => ({ ...g, alerts: g.alerts.map(loadAlert) })),
    queued: j.queued.map((q) => ({ channel: q.channel, entry: { attempts: q.attempts, enqueuedAt: q.enqueuedAt, n: { ...q.n, alerts: q.n.alerts.map(loadAlert) } } })),
    silences: j.silences.map((x) => ({ id: x.id, matchers: x.matchers, endsAt: new Date(x.endsAt), comment: x.comment })),
    alertmanager: j.alertmanager.map(loadAlert),
    alertmanagerPosted: Array.isArray(j.alertmanagerPosted) ? j.alertmanagerPosted.filter((fp) => typeof fp === 'string') : [],
  };
}

const names = (alerts: StoredAlert[]): string => [...new Set(alerts.map((a) => a.labels.alertname))].join(', ');

/**
 * Frees about `bytes` of the dispatcher's section: the oldest undelivered notifications go first,
 * then the oldest groups (whose alerts would then not be resolved after a restart). One line per
 * drop, naming the alerts.
 */
export function trimDispatcher(raw: unknown, bytes: number): { state: unknown; dropped: string[] } | undefined {
  const j = raw as DispatcherJournal;
  const dropped: string[] = [];
  let freed = 0;
  const queued = [...j.queued].sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  while (freed < bytes && queued.length > 0) {
    const q = queued.shift() as StoredQueued;
    freed += JSON.stringify(q).length;
    dropped.push(`${q.channel} notification (${q.n.status}, ${q.n.reason}) of ${names(q.n.alerts)}`);
  }
  const groups = [...j.groups].sort((a, b) => a.createdAt - b.createdAt);
  while (freed < bytes && groups.length > 0) {
    const g = groups.shift() as StoredGroup;
    freed += JSON.stringify(g).length;
    dropped.push(`alert group state of ${names(g.alerts)}`);
  }
  if (dropped.length === 0) return undefined;
  const keptQueued = new Set(queued);
  const keptGroups = new Set(groups);
  return { state: { ...j, queued: j.queued.filter((q) => keptQueued.has(q)), groups: j.groups.filter((g) => keptGroups.has(g)) }, dropped };
}
