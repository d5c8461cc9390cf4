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

/**
 * One aggregation group (alerts sharing the group-by labels), with Alertmanager's dedup logic:
 * notify on new or changed alerts, on resolution, and repeat while firing every repeat interval,
 * at most `maxRepeats` times; then escalate once when the level allows it.
 */
export class AggregationGroup {
  readonly alerts = new Map<string, Alert>();
  /** Fingerprints (with status) included in the last notification. */
  private lastSent = new Set<string>();
  private lastNotifiedAt: number | undefined;
  private repeats = 0;
  private escalated = false;
  createdAt: number;

  constructor(readonly key: string, readonly labels: Record<string, string>, now: number) {
    this.createdAt = now;
  }

  upsert(a: Alert): void {
    this.alerts.set(alertFingerprint(a.labels), a);
  }

  get isEmpty(): boolean {
    return this.alerts.size === 0;
  }

  level(): MatrixLevel {
    let best: MatrixLevel = 'low';
    for (const a of this.alerts.values()) if (RANK[levelOf(a)] > RANK[best]) best = levelOf(a);
    return best;
  }

  private stateKeys(): Set<string> {
    return new Set([...this.alerts].map(([fp, a]) => `${fp}:${a.status}`));
  }

  /** Decides what to send now; marks it sent and drops resolved alerts once notified. */
  flush(now: number, policy: (l: MatrixLevel) => RepeatPolicy): FlushDecision | undefined {
    if (this.alerts.size === 0) return undefined;
    const level = this.level();
    const current = this.stateKeys();
    const firing = [...this.alerts.values()].some((a) => a.status === 'firing');
    const changed = current.size !== this.lastSent.size || [...current].some((k) => !this.lastSent.has(k));
    let reason: NotifyReason | undefined;
    if (changed) {
      reason = this.lastNotifiedAt === undefined ? 'new' : firing ? 'changed' : 'resolved';
      this.repeats = 0;
      this.escalated = false;
    } else if (firing && this.lastNotifiedAt !== undefined) {
      const p = policy(level);
      if (now - this.lastNotifiedAt >= p.repeatIntervalMs) {
        if (this.repeats < p.maxRepeats) {
          reason = 'repeat';
          this.repeats++;
        } else if (p.escalation && !this.escalated) {
          reason = 'escalation';
          this.escalated = true;
        }
      }
    }
    if (!reason) return undefined;
    const alerts = [...this.alerts.values()];
    this.lastSent = current;
    this.lastNotifiedAt = now;
    // Resolved alerts are reported once, then forgotten.
    for (const [fp, a] of this.alerts) if (a.status === 'resolved') this.alerts.delete(fp);
    this.lastSent = this.stateKeys();
    return { reason, alerts, level, repeat: reason === 'repeat' ? this.repeats : 0 };
  }
}
