import type { Severity } from './types';

/**
 * The state of one alert (rule + severity + label set) between evaluations. Prometheus'
 * semantics (rules/alerting.go): inactive -> pending -> firing; `for` restarts whenever an
 * evaluation finds the condition false; `keepFiringFor` holds a firing alert that long after the
 * condition cleared. Inactive alerts have no record.
 */
export interface AlertRecord {
  readonly id: string;
  readonly ruleName: string;
  readonly severity: Severity;
  /** Group-by labels (without rule labels). */
  readonly groupLabels: Readonly<Record<string, string>>;
  /** Key of the rule + group labels, shared by the warning and the critical alert. */
  readonly groupKey: string;
  state: 'pending' | 'firing';
  activeAt: number;
  firedAt?: number;
  /** First evaluation (while firing) that found the condition false. */
  keepFiringSince?: number;
  value: number;
  threshold: number;
  /** A `firing` event went out for this alert (so `resolved` must follow). */
  announced: boolean;
  /** The evaluator's last pass that found this label set in the result (bookkeeping). */
  seenInPass?: number;
}

/** What happened to an alert at one evaluation. */
export type Transition = 'pending' | 'firing' | 'resolved' | undefined;

/** Timing of a rule. */
export interface RuleTiming {
  forMs: number;
  keepFiringForMs: number;
}

/**
 * Advances one alert by one evaluation. `active` is the condition; `rec` the record (undefined
 * when inactive). Returns the new record (undefined = inactive) and the transition. Pure: `now`
 * is passed in, so tests drive it with a fake clock.
 */
export function advance(
  rec: AlertRecord | undefined,
  active: boolean,
  now: number,
  timing: RuleTiming,
  create: () => AlertRecord,
): { rec: AlertRecord | undefined; transition: Transition } {
  if (!rec) {
    if (!active) return { rec: undefined, transition: undefined };
    const r = create();
    r.activeAt = now;
    if (timing.forMs <= 0) {
      r.state = 'firing';
      r.firedAt = now;
      return { rec: r, transition: 'firing' };
    }
    r.state = 'pending';
    return { rec: r, transition: 'pending' };
  }
  if (rec.state === 'pending') {
    // Any evaluation below the level drops a pending alert: `for` starts over next time.
    if (!active) return { rec: undefined, transition: undefined };
    if (now - rec.activeAt >= timing.forMs) {
      rec.state = 'firing';
      rec.firedAt = now;
      return { rec, transition: 'firing' };
    }
    return { rec, transition: undefined };
  }
  if (active) {
    rec.keepFiringSince = undefined;
    return { rec, transition: undefined };
  }
  if (timing.keepFiringForMs > 0) {
    rec.keepFiringSince ??= now;
    if (now - rec.keepFiringSince < timing.keepFiringForMs) return { rec, transition: undefined };
  }
  return { rec: undefined, transition: 'resolved' };
}
