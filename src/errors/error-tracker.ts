import { trace, type Attributes } from '@opentelemetry/api';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  EVENT_EXCEPTION,
} from '@opentelemetry/semantic-conventions';
import { pulseguardMetrics } from '../metrics/registry';
import type { HotSum } from '../metrics/hot-metrics';
import { ATTR_PULSEGUARD_ERROR_CLASS, METRIC_PULSEGUARD_ERRORS_TRACKED } from '../semconv';
import { redactDeep, redactString } from '../logging/redaction';
import { reportInternalError } from '../internal/internal-errors';
import { errorFacts, type ErrorFacts } from './error-facts';
import { classifyFacts, compileClassificationRules } from './classify';
import { computeFingerprint, explicitFingerprint, fingerprintParts } from './fingerprint';
import { LruMap } from './lru';
import { BreadcrumbTrail, DEFAULT_BREADCRUMBS } from './breadcrumbs';
import { computeInsights, CountHistory } from './insights';
import { safeCall } from '../internal/safe-call';
import { ATTR_PULSEGUARD_ERROR_FINGERPRINT, ERROR_CLASSES, METRIC_PULSEGUARD_ERRORS_GROUPS_EVICTED } from './semconv';
import type {
  ErrorClass,
  ErrorEvent,
  ErrorGroup,
  ErrorGroupSummary,
  ErrorSample,
  ErrorTracker,
  ErrorTrackerOptions,
  ErrorTrackerStats,
  GroupsQuery,
  TrackOptions,
} from './types';

const COMPONENT = 'errors';
/** pulseguard.internal.errors{component} of a throwing beforeSend hook. */
const HOOK_COMPONENT = 'errors.beforeSend';
/** Default of `errors.maxGroups`. */
export const DEFAULT_MAX_GROUPS = 1000;
/** Default of `errors.samplesPerGroup`. */
export const DEFAULT_SAMPLES_PER_GROUP = 5;
const DEFAULT_GROUPS_LIMIT = 50;

// Families live in the process-wide hot registry (created once at module load); one handle per
// class is resolved once below, so track() bumps a plain field.
const trackedFamily = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_ERRORS_TRACKED,
  description: 'Errors seen by the error tracker, by class.',
  unit: '{error}',
});
const evictedFamily = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_ERRORS_GROUPS_EVICTED,
  description: 'Error groups dropped from memory because errors.maxGroups was reached (least recently seen first).',
  unit: '{group}',
});
// Known series are pre-created at 0, so a rate() over them works from the first scrape.
const trackedByClass = new Map<ErrorClass, HotSum>(ERROR_CLASSES.map((c) => [c, trackedFamily.series({ [ATTR_PULSEGUARD_ERROR_CLASS]: c })]));
const evicted = evictedFamily.series({});

interface GroupState {
  summary: ErrorGroupSummary;
  /** The first occurrence that was kept (not dropped by beforeSend). */
  first: ErrorSample | undefined;
  /** The latest occurrences after the first, oldest first (bounded). */
  latest: ErrorSample[];
  history: CountHistory;
}

function snapshot(g: GroupState): ErrorGroup {
  const samples = g.first ? [g.first, ...g.latest] : [...g.latest];
  return { ...g.summary, firstSeen: new Date(g.summary.firstSeen), lastSeen: new Date(g.summary.lastSeen), samples: samples.map((s) => ({ ...s })) };
}

function redactedContext(context: unknown): Record<string, unknown> | undefined {
  if (context === undefined || context === null || typeof context !== 'object') return undefined;
  try {
    return redactDeep(context) as Record<string, unknown>;
  } catch {
    // A context with a throwing getter: keep the sample, say why its context is missing.
    return { unreadable: true };
  }
}

function recordSpanEvent(event: ErrorEvent): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  // Not span.recordException(): it copies the raw message and stack, which may hold secrets.
  const attributes: Attributes = {
    [ATTR_EXCEPTION_TYPE]: event.type,
    [ATTR_EXCEPTION_MESSAGE]: event.message,
    [ATTR_PULSEGUARD_ERROR_CLASS]: event.errorClass,
    [ATTR_PULSEGUARD_ERROR_FINGERPRINT]: event.fingerprint,
  };
  if (event.stack) attributes[ATTR_EXCEPTION_STACKTRACE] = event.stack;
  span.addEvent(EVENT_EXCEPTION, attributes);
}

/** The stored sample of an event (the group identity stays on the group). */
function sampleOf(e: ErrorEvent): ErrorSample {
  const { fingerprint: _f, errorClass: _c, type: _t, newGroup: _n, ...sample } = e;
  return sample;
}

/**
 * Creates an error tracker (see {@link ErrorTracker}): groups by fingerprint, keeps the first and
 * the latest redacted samples per group, holds at most `maxGroups` groups (LRU by last seen), and
 * reports each error as a span event and a metric.
 */
export function createErrorTracker(options: ErrorTrackerOptions = {}): ErrorTracker {
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  // Slot one holds the first occurrence, the others the latest: at least one of each.
  const latestSlots = Math.max(1, (options.samplesPerGroup ?? DEFAULT_SAMPLES_PER_GROUP) - 1);
  const now = options.now ?? Date.now;
  const rules = compileClassificationRules(options.rules ?? []);
  const groups = new LruMap<string, GroupState>(maxGroups, () => evicted.add(1));
  const trail = new BreadcrumbTrail(options.maxBreadcrumbs ?? DEFAULT_BREADCRUMBS, now);
  const { beforeSend, onNewGroup, release, environment } = options;
  let tracked = 0;

  function eventOf(facts: ErrorFacts, group: GroupState, at: number, context: unknown, newGroup: boolean): ErrorEvent {
    const { fingerprint, errorClass, type } = group.summary;
    const event: ErrorEvent = { fingerprint, errorClass, type, newGroup, at: new Date(at), message: facts.message };
    if (facts.stack) event.stack = facts.stack;
    if (facts.code !== undefined) event.code = redactString(facts.code);
    const ctx = redactedContext(context);
    if (ctx) event.context = ctx;
    if (release) event.release = release;
    if (environment) event.environment = environment;
    if (trail.capacity > 0) event.breadcrumbs = trail.snapshot();
    return event;
  }

  /** The app's hook: null drops, undefined or a throw (contained, counted) keeps the event as it was. */
  function applyBeforeSend(event: ErrorEvent, err: unknown): ErrorEvent | null {
    if (!beforeSend) return event;
    const out = safeCall(HOOK_COMPONENT, beforeSend, event, { originalError: err });
    if (out === null) return null;
    return out !== undefined && typeof out === 'object' ? out : event;
  }

  function store(group: GroupState, sample: ErrorSample): void {
    if (!group.first) {
      group.first = sample;
      return;
    }
    group.latest.push(sample);
    if (group.latest.length > latestSlots) group.latest.shift();
  }

  function trackUnsafe(err: unknown, opts: TrackOptions | undefined): ErrorGroupSummary {
    const facts = errorFacts(err);
    const errorClass = classifyFacts(facts, rules);
    // Redact before normalising: a registered secret only matches its raw form.
    const parts = fingerprintParts(facts);
    let fingerprint: string | undefined;
    let context: unknown;
    if (opts !== undefined && opts !== null && typeof opts === 'object') {
      // Options come from app code at an error site: a hostile object must not lose the error.
      try {
        fingerprint = explicitFingerprint(opts.fingerprint);
        context = opts.context;
      } catch {
        fingerprint = undefined;
        context = undefined;
      }
    }
    fingerprint ??= computeFingerprint(parts);
    const at = now();
    let group = groups.get(fingerprint);
    const newGroup = group === undefined;
    if (group === undefined) {
      group = {
        summary: { fingerprint, errorClass, type: facts.type, message: parts.message, count: 0, firstSeen: new Date(at), lastSeen: new Date(at) },
        first: undefined,
        latest: [],
        history: new CountHistory(),
      };
      if (parts.frame !== undefined) group.summary.frame = parts.frame;
      groups.set(fingerprint, group);
    }
    group.summary.count++;
    group.summary.lastSeen = new Date(at);
    group.history.add(at);
    tracked++;
    (trackedByClass.get(errorClass) as HotSum).add(1);
    // Counted either way; a dropped event leaves no sample, no span event and no alert.
    const event = applyBeforeSend(eventOf(facts, group, at, context, newGroup), err);
    if (event) {
      store(group, sampleOf(event));
      recordSpanEvent(event);
      if (newGroup && onNewGroup) safeCall(COMPONENT, onNewGroup, event);
    }
    return { ...group.summary, firstSeen: new Date(group.summary.firstSeen), lastSeen: new Date(at) };
  }

  return {
    track(err, opts) {
      try {
        return trackUnsafe(err, opts);
      } catch (fault) {
        // The tracker is called from catch blocks and crash handlers: it must never throw.
        reportInternalError(COMPONENT, fault);
        return undefined;
      }
    },
    groups(query: GroupsQuery = {}) {
      const limit = query.limit ?? DEFAULT_GROUPS_LIMIT;
      const out: GroupState[] = [];
      for (const g of groups.values()) if (query.class === undefined || g.summary.errorClass === query.class) out.push(g);
      out.sort((a, b) => b.summary.count - a.summary.count || b.summary.lastSeen.getTime() - a.summary.lastSeen.getTime());
      return out.slice(0, Math.max(0, limit)).map(snapshot);
    },
    get(fingerprint) {
      const g = groups.peek(fingerprint);
      return g ? snapshot(g) : undefined;
    },
    stats(): ErrorTrackerStats {
      return { groups: groups.size, evictions: groups.evictions, tracked };
    },
    addBreadcrumb(category, message, level) {
      if (typeof message === 'string') trail.add(category === 'span' ? 'span' : 'log', message, level);
    },
    generateInsights(query) {
      return computeInsights(groups.values(), tracked, now(), query);
    },
    reset() {
      groups.clear();
      trail.clear();
      tracked = 0;
    },
  };
}
