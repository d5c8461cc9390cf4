import type { Rule, RuleInput } from '../config/types';

/** Alert severities a rule can raise; critical inhibits warning of the same alert and label set. */
export type Severity = 'warning' | 'critical';

/** Where an alert is in its life: Prometheus' states plus the final `resolved`. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** Health of one rule at its last evaluation. `nodata`: its metric has not been reported at all. */
export type RuleHealth = 'ok' | 'nodata' | 'error';

/** One alert: a rule, a severity and a label set (Prometheus: one alert per label set). */
export interface Alert {
  /** Stable id: rule name, severity and labels. */
  readonly id: string;
  readonly alertname: string;
  readonly severity: Severity;
  state: AlertState;
  /** Rule labels, group-by labels, `alertname` and `severity`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Rendered annotation templates. */
  annotations: Record<string, string>;
  /** The rule's value (after `scale`) at the last evaluation that had one. */
  value: number;
  /** The level the value was compared with. */
  readonly threshold: number;
  /** When the condition first held (epoch ms). */
  readonly activeAt: number;
  /** When the alert started firing. */
  firedAt?: number;
  /** When it resolved. */
  resolvedAt?: number;
  /** Recovery procedure the rule names, if any. */
  readonly recovery?: string;
}

/** The listener signature for every alert event. */
export type AlertListener = (alert: Readonly<Alert>) => void;

/** Alert events in-process. */
export type AlertEventName = 'pending' | 'firing' | 'resolved';

/** Status of one rule, for `pulseguard check` and `telemetry.alerts.rules()`. */
export interface RuleStatus {
  readonly name: string;
  readonly health: RuleHealth;
  /** Epoch ms of the last evaluation. */
  readonly lastEvaluation?: number;
  /** Label sets the rule produced a value for. */
  readonly series: number;
  /** Why health is not ok. */
  readonly message?: string;
}

/** `telemetry.alerts`: alert events, active alerts and on-demand evaluation. */
export interface AlertsApi {
  /** Subscribes to an alert event; returns an unsubscribe function. Listener errors are contained. */
  on(event: AlertEventName, listener: AlertListener): () => void;
  off(event: AlertEventName, listener: AlertListener): void;
  /** Pending and firing alerts (inhibited warnings are left out). */
  active(): Alert[];
  /** Rule health after the last evaluation. */
  rules(): RuleStatus[];
  /** Runs one evaluation now (skipped if one is running) and resolves when it is done. */
  evaluateNow(): Promise<void>;
}

export type { Rule, RuleInput };
