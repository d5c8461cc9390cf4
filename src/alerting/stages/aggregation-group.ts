import type { Alert, MatrixLevel, NotifyReason } from '../types';
import { alertFingerprint } from '../fingerprint';

const LEVEL_OF_SEVERITY: Record<string, MatrixLevel> = { critical: 'high', high: 'high', warning: 'medium', medium: 'medium', info: 'low', low: 'low' };

/** Matrix level of an alert from its severity label (unknown severities are treated as low). */
export function levelOf(a: Alert): MatrixLevel {
  return LEVEL_OF_SEVERITY[a.labels.severity ?? ''] ?? 'low';
}

const RANK: Record<MatrixLevel, number> = { low: 0, medium: 1, high: 2 };

/** What a group should send at a flush, if anything. */
export interface FlushDecision {
  reason: NotifyReason;
  alerts: Alert[];
  level: MatrixLevel;
  repeat: number;
}

/** Repeat policy of a matrix level. */
export interface RepeatPolicy {
  repeatIntervalMs: number;
  maxRepeats: number;
  escalation: boolean;
}

/** Answers whether a label set is silenced at the time of the flush. */
export type MuteCheck = (labels: Record<string, string>) => boolean;

/** A group's dedup state, as the alert journal keeps it across a restart. */
export interface AggregationGroupState {
  key: string;
  labels: Record<string, string>;
  createdAt: number;
  alerts: Alert[];
  announced: string[];
  lastFiring: string[];
  lastNotifiedAt?: number;
  repeats: number;
  escalated: boolean;
}

function isSubset(a: Set<string>, of: Set<string>): boolean {
  for (const x of a) if (!of.has(x)) return false;
  return true;
}

/**
 * One aggregation group (alerts sharing the group-by labels) with Alertmanager's dedup logic
 * (notify/notify.go `needsUpdate`), applied when the group flushes, not when alerts arrive:
 * - silences mute firing alerts at flush time, so a silence added while an alert fires stops its
 *   repeats and escalation; the alert itself stays in the group, so its resolve is still seen;
 * - an alert that resolves before it was ever announced as firing is forgotten without a word;
 * - a resolve of an announced alert is sent (even while silenced: it closes what was opened);
 * - new firing alerts or new resolves notify at once, otherwise repeat every repeat interval
 *   (at most `maxRepeats` times), then escalate once when the level allows it.
 */
export class AggregationGroup {
  readonly alerts = new Map<string, Alert>();
  /** Fingerprints announced as firing and not yet announced resolved. */
  private readonly announced = new Set<string>();
  /** Firing fingerprints of the last notification. */
  private lastFiring = new Set<string>();
  private lastNotifiedAt: number | undefined;
  private repeats = 0;
  private escalated = false;
  createdAt: number;

  constructor(readonly key: string, readonly labels: Record<string, string>, now: number) {
    this.createdAt = now;
  }

  /** The dedup state (for the alert journal). */
  state(): AggregationGroupState {
    return {
      key: this.key, labels: this.labels, createdAt: this.createdAt, alerts: [...this.alerts.values()],
      announced: [...this.announced], lastFiring: [...this.lastFiring], lastNotifiedAt: this.lastNotifiedAt, repeats: this.repeats, escalated: this.escalated,
    };
  }

  /** A group as it was before a restart: what was announced stays announced (no second "new"). */
  static restore(s: AggregationGroupState): AggregationGroup {
    const g = new AggregationGroup(s.key, s.labels, s.createdAt);
    for (const a of s.alerts) g.upsert(a);
    for (const fp of s.announced) g.announced.add(fp);
    g.lastFiring = new Set(s.lastFiring);
    g.lastNotifiedAt = s.lastNotifiedAt;
    g.repeats = s.repeats;
    g.escalated = s.escalated;
    return g;
  }

  upsert(a: Alert): void {
    this.alerts.set(alertFingerprint(a.labels), a);
  }

  get isEmpty(): boolean {
    return this.alerts.size === 0;
  }

  private static levelOfAll(alerts: Iterable<Alert>): MatrixLevel {
    let best: MatrixLevel = 'low';
    for (const a of alerts) if (RANK[levelOf(a)] > RANK[best]) best = levelOf(a);
    return best;
  }

  /** Decides what to send now; marks it sent and forgets resolved alerts once notified. */
  flush(now: number, policy: (l: MatrixLevel) => RepeatPolicy, muted: MuteCheck = () => false): FlushDecision | undefined {
    const firing = new Map<string, Alert>();
    const resolved = new Map<string, Alert>();
    for (const [fp, a] of this.alerts) {
      if (a.status === 'firing') {
        if (!muted(a.labels)) firing.set(fp, a);
      } else if (this.announced.has(fp)) {
        resolved.set(fp, a);
      } else {
        // Fired and resolved before anyone was told: nothing to say (Alertmanager sends nothing either).
        this.alerts.delete(fp);
      }
    }
    const firingKeys = new Set(firing.keys());
    let reason: NotifyReason | undefined;
    if (!isSubset(firingKeys, this.lastFiring)) {
      reason = this.lastNotifiedAt === undefined ? 'new' : 'changed';
    } else if (resolved.size > 0) {
      reason = firing.size > 0 ? 'changed' : 'resolved';
    } else if (firing.size > 0 && this.lastNotifiedAt !== undefined) {
      const p = policy(AggregationGroup.levelOfAll(firing.values()));
      if (now - this.lastNotifiedAt >= p.repeatIntervalMs) {
        if (this.repeats < p.maxRepeats) reason = 'repeat';
        else if (p.escalation && !this.escalated) reason = 'escalation';
      }
    }
    if (!reason) return undefined;
    if (reason === 'repeat') this.repeats++;
    else if (reason === 'escalation') this.escalated = true;
    else {
      this.repeats = 0;
      this.escalated = false;
    }
    const alerts = [...firing.values(), ...resolved.values()];
    const level = AggregationGroup.levelOfAll(alerts);
    this.lastFiring = firingKeys;
    this.lastNotifiedAt = now;
    for (const fp of firingKeys) this.announced.add(fp);
    // Resolved alerts are reported once, then forgotten.
    for (const fp of resolved.keys()) {
      this.alerts.delete(fp);
      this.announced.delete(fp);
    }
    return { reason, alerts, level, repeat: reason === 'repeat' ? this.repeats : 0 };
  }
}
