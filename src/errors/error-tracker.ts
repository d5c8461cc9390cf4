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
import { ATTR_PULSEGUARD_ERROR_FINGERPRINT, ERROR_CLASSES, METRIC_PULSEGUARD_ERRORS_GROUPS_EVICTED } from './semconv';
import type {
  ErrorClass,
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
/** Default of `errors.maxGroups`. */
export const DEFAULT_MAX_GROUPS = 1000;
/** Default of `errors.samplesPerGroup`. */
export const DEFAULT_SAMPLES_PER_GROUP = 5;
const DEFAULT_GROUPS_LIMIT = 50;

// Families live in the process-wide hot registry (created once at module load); one handle per
// class is resolved once below, so track() bumps a plain field (STYLE.md §9).
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
// Known series are pre-created at 0 (STYLE.md §7), so a rate() over them works from the first scrape.
const trackedByClass = new Map<ErrorClass, HotSum>(ERROR_CLASSES.map((c) => [c, trackedFamily.series({ [ATTR_PULSEGUARD_ERROR_CLASS]: c })]));
const evicted = evictedFamily.series({});

interface GroupState {
  summary: ErrorGroupSummary;
  samples: ErrorSample[];
}

function snapshot(g: GroupState): ErrorGroup {
  return { ...g.summary, firstSeen: new Date(g.summary.firstSeen), lastSeen: new Date(g.summary.lastSeen), samples: g.samples.map((s) => ({ ...s })) };
}

function sampleOf(facts: ErrorFacts, at: number, context: unknown): ErrorSample {
  const sample: ErrorSample = { at: new Date(at), message: facts.message };
  if (facts.stack) sample.stack = facts.stack;
  if (facts.code !== undefined) sample.code = redactString(facts.code);
  if (context !== undefined && context !== null && typeof context === 'object') {
    try {
      sample.context = redactDeep(context) as Record<string, unknown>;
    } catch {
      // A context with a throwing getter: keep the sample, say why its context is missing.
      sample.context = { unreadable: true };
    }
  }
  return sample;
}

function recordSpanEvent(facts: ErrorFacts, errorClass: ErrorClass, fingerprint: string): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  // Not span.recordException(): it copies the raw message and stack, which may hold secrets.
  const attributes: Attributes = {
    [ATTR_EXCEPTION_TYPE]: facts.type,
    [ATTR_EXCEPTION_MESSAGE]: facts.message,
    [ATTR_PULSEGUARD_ERROR_CLASS]: errorClass,
    [ATTR_PULSEGUARD_ERROR_FINGERPRINT]: fingerprint,
  };
  if (facts.stack) attributes[ATTR_EXCEPTION_STACKTRACE] = facts.stack;
  span.addEvent(EVENT_EXCEPTION, attributes);
}

/**
 * Creates an error tracker (see {@link ErrorTracker}): groups by fingerprint, keeps the first
 * `samplesPerGroup` redacted samples per group, holds at most `maxGroups` groups (LRU by last
 * seen), and reports each error as a span event and a metric.
 */
export function createErrorTracker(options: ErrorTrackerOptions = {}): ErrorTracker {
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  const samplesPerGroup = options.samplesPerGroup ?? DEFAULT_SAMPLES_PER_GROUP;
  const now = options.now ?? Date.now;
  const rules = compileClassificationRules(options.rules ?? []);
  const groups = new LruMap<string, GroupState>(maxGroups, () => evicted.add(1));
  let tracked = 0;

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
    if (group === undefined) {
      group = {
        summary: { fingerprint, errorClass, type: facts.type, message: parts.message, count: 0, firstSeen: new Date(at), lastSeen: new Date(at) },
        samples: [],
      };
      if (parts.frame !== undefined) group.summary.frame = parts.frame;
      groups.set(fingerprint, group);
    }
    group.summary.count++;
    group.summary.lastSeen = new Date(at);
    if (group.samples.length < samplesPerGroup) group.samples.push(sampleOf(facts, at, context));
    tracked++;
    (trackedByClass.get(errorClass) as HotSum).add(1);
    recordSpanEvent(facts, errorClass, fingerprint);
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
    reset() {
      groups.clear();
      tracked = 0;
    },
  };
}
