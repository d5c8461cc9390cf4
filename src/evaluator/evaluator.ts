import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ConfigError } from '../config/validate';
import { reportInternalError } from '../internal/internal-errors';
import { withTimeout } from '../internal/safe-call';
import { AlertEvents } from './alert-events';
import { RECORD_KEY_SEP, stateFor, type EvaluatorState } from './evaluator-state';
import { restoreInto, storeRecord, type RestoreTiming, type StoredAlertRecord } from './restore-records';
import { inhibitingGroups, isInhibited } from './inhibition';
import { KNOWN_METRICS } from '../metrics/known-metrics';
import { alertOf } from './alert-view';
import { missingLabelProblem } from './label-check';
import { retentionOf } from './metric-retention';
import { compileRules, type CompiledRule } from './rule-compiler';
import { RuleValueComputer } from './rule-values';
import type { SeriesStore } from './series-store';
import { advance, type AlertRecord } from './state-machine';
import { crosses } from './statistics';
import type { Alert, AlertEventName, Rule, RuleStatus } from './types';

export { resetEvaluatorState, type EvaluatorState } from './evaluator-state';

/** The part of a logger the evaluator uses. */
export interface EvaluatorLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Options of {@link Evaluator}. */
export interface EvaluatorOptions {
  /** Resolved rules (durations in ms). */
  rules: readonly Rule[];
  /** Reads the metric stream once (the evaluator's own reader). */
  collect: () => Promise<ResourceMetrics>;
  /** @default 15000 */
  intervalMs?: number;
  /** Injected clock (epoch ms). @default Date.now */
  now?: () => number;
  logger?: EvaluatorLogger;
  /** State kept under this key survives a stop()/new Evaluator in the same process. */
  stateKey?: string;
  /** Extra metric retention (name -> ms) for readers of the store such as the report history. */
  extraRetention?: ReadonlyMap<string, number>;
  /** Called after every evaluation with the store (the report history hooks in here). */
  afterIngest?: (store: SeriesStore, now: number) => void;
}

/** Numbers each rule level's pass over its groups (process-wide: records outlive an evaluator). */
let evaluationPass = 0;

/** Records are kept by `rule SEP severity`; inhibition reads the critical ones. */
const SEP = RECORD_KEY_SEP;
const CRITICAL_SUFFIX = `${SEP}critical`;
/**
 * The first evaluation runs this long after start() (or one interval later, if shorter), not
 * during it: start is the app's busiest moment (the first cycle costs ~40 M instructions, about
 * a quarter of what start() itself does), and a first cycle only records baselines (rates need
 * two samples). Prometheus, too, starts a rule group at an offset within its interval.
 */
const FIRST_EVALUATION_DELAY_MS = 1000;

/**
 * The threshold evaluator: on an interval (never overlapping, timer unref'ed) it reads the metric
 * stream once, appends samples to bounded windows, computes every rule per label set and steps
 * each alert's state machine; then it emits events.
 */
export class Evaluator {
  readonly events = new AlertEvents();
  readonly compiled: readonly CompiledRule[];
  private readonly computers: ReadonlyMap<CompiledRule, RuleValueComputer>;
  readonly warnings: readonly string[];
  private readonly state: EvaluatorState;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly retention: ReadonlyMap<string, number>;
  private readonly status = new Map<string, RuleStatus>();
  private timer: NodeJS.Timeout | undefined;
  private firstTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastAt: number | undefined;
  /** Rules on metrics outside the catalogue whose label names are checked once data arrives. */
  private readonly uncheckedLabels = new Set<CompiledRule>();
  /** Label problems found at run time, by rule name. */
  private readonly labelProblems = new Map<string, string>();

  constructor(private readonly opts: EvaluatorOptions) {
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.now = opts.now ?? Date.now;
    this.state = stateFor(opts.stateKey);
    const result = compileRules(opts.rules, this.state.store.observedNames);
    if (result.problems.length > 0) throw new ConfigError(result.problems);
    this.compiled = result.compiled;
    this.computers = new Map(this.compiled.map((cr) => [cr, new RuleValueComputer(cr)]));
    this.warnings = result.warnings;
    for (const w of result.warnings) opts.logger?.warn({ warning: w }, 'rule references an unknown metric');
    this.retention = retentionOf(this.compiled, this.intervalMs, opts.extraRetention);
    for (const cr of this.compiled) if (!KNOWN_METRICS[cr.rule.metric]) this.uncheckedLabels.add(cr);
    // Alerts of rules that no longer exist are dropped on restart.
    const names = new Set(this.compiled.map((c) => c.rule.name));
    for (const [k, byGroup] of this.state.records) {
      const first = byGroup.values().next().value;
      if (first && !names.has(first.ruleName)) this.state.records.delete(k);
    }
  }

  /** Starts the interval; the first evaluation runs FIRST_EVALUATION_DELAY_MS (or one interval) later. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.evaluateNow(), this.intervalMs);
    this.timer.unref();
    this.firstTimer = setTimeout(() => void this.evaluateNow(), Math.min(this.intervalMs, FIRST_EVALUATION_DELAY_MS));
    this.firstTimer.unref();
  }

  /** Stops the interval and waits for a running evaluation. State stays for a restart. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.firstTimer);
    this.timer = undefined;
    this.firstTimer = undefined;
    await this.running;
  }

  /** Runs one evaluation unless one is running (then waits for that one). Never rejects. */
  evaluateNow(): Promise<void> {
    this.running ??= this.evaluate()
      .catch((err: unknown) => reportInternalError('evaluator', err))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Group keys whose critical alert fires (only the critical records are read). */
  private inhibiting(): Set<string> {
    const out = new Set<string>();
    for (const [key, byGroup] of this.state.records) if (key.endsWith(CRITICAL_SUFFIX)) for (const g of inhibitingGroups(byGroup.values())) out.add(g);
    return out;
  }

  /** Pending and firing alerts, inhibited warnings left out. */
  active(): Alert[] {
    const inhibiting = this.inhibiting();
    const out: Alert[] = [];
    for (const r of this.allRecords()) if (!isInhibited(r, inhibiting)) out.push(this.toAlert(r));
    return out;
  }

  /** Health of every rule after the last evaluation. */
  rules(): RuleStatus[] {
    return this.compiled.map((c) => this.status.get(c.rule.name) ?? { name: c.rule.name, health: 'nodata', series: 0, message: 'not evaluated yet' });
  }

  /** Pending and firing alert records, for the alert journal. */
  journalRecords(): StoredAlertRecord[] {
    return [...this.allRecords()].map(storeRecord);
  }

  /**
   * Restores records from the alert journal before the first evaluation (see restoreRecord for
   * the rules). Records of rules or levels that no longer exist are left out; state this process
   * still holds (a stop and start within one process) wins. Returns how many were restored.
   */
  restoreRecords(stored: readonly StoredAlertRecord[], timing: RestoreTiming): number {
    return this.state.records.size > 0 ? 0 : restoreInto(this.state.records, this.compiled, stored, timing);
  }

  private *allRecords(): IterableIterator<AlertRecord> {
    for (const byGroup of this.state.records.values()) yield* byGroup.values();
  }

  /** The sample store (shared with the report history). */
  get store(): SeriesStore {
    return this.state.store;
  }

  private async evaluate(): Promise<void> {
    const rm = await withTimeout(this.opts.collect(), Math.max(1000, this.intervalMs), 'evaluator collect');
    const now = this.now();
    const { store } = this.state;
    store.ingest(rm, now, this.retention);
    if (this.uncheckedLabels.size > 0) this.checkLabels();
    // Half an interval of slack puts the sample taken one window ago inside the window.
    const slack = this.lastAt !== undefined ? Math.min(this.intervalMs, now - this.lastAt) / 2 : this.intervalMs / 2;
    this.lastAt = now;
    const events: { event: AlertEventName; rec: AlertRecord }[] = [];
    const resolved: AlertRecord[] = [];
    for (const cr of this.compiled) {
      try {
        this.evaluateRule(cr, now, slack, events, resolved);
      } catch (err) {
        this.status.set(cr.rule.name, { name: cr.rule.name, health: 'error', series: 0, lastEvaluation: now, message: (err as Error).message });
        reportInternalError('evaluator', err);
      }
    }
    const inhibiting = this.inhibiting();
    const out: { event: AlertEventName; alert: Alert }[] = [];
    for (const { event, rec } of events) {
      if (!isInhibited(rec, inhibiting)) out.push({ event, alert: this.toAlert(rec) });
    }
    for (const byGroup of this.state.records.values()) {
      for (const rec of byGroup.values()) {
        if (rec.state === 'firing' && !rec.announced && !isInhibited(rec, inhibiting)) {
          rec.announced = true;
          out.push({ event: 'firing', alert: this.toAlert(rec) });
        }
      }
    }
    for (const rec of resolved) {
      if (!rec.announced) continue;
      const alert = this.toAlert(rec);
      alert.state = 'resolved';
      alert.resolvedAt = now;
      out.push({ event: 'resolved', alert });
    }
    this.opts.afterIngest?.(store, now);
    for (const { event, alert } of out) {
      if (event !== 'pending') this.opts.logger?.info({ alertname: alert.alertname, severity: alert.severity, labels: alert.labels, value: alert.value }, `alert ${event}`);
      this.events.emit(event, alert);
    }
  }

  /**
   * Rules on metrics outside the catalogue: their label names are checked once the metric is seen
   * (label-check.ts); a typo is reported once in the log and as the rule's health.
   */
  private checkLabels(): void {
    for (const cr of this.uncheckedLabels) {
      const ms = this.state.store.metrics.get(cr.rule.metric);
      if (!ms || ms.series.size === 0) continue;
      this.uncheckedLabels.delete(cr);
      const message = missingLabelProblem(cr, ms.series.values());
      if (message === undefined) continue;
      this.labelProblems.set(cr.rule.name, message);
      this.opts.logger?.warn({ rule: cr.rule.name, problem: message }, 'rule filters on an attribute its metric does not have');
    }
  }

  private evaluateRule(cr: CompiledRule, now: number, slack: number, events: { event: AlertEventName; rec: AlertRecord }[], resolved: AlertRecord[]): void {
    const { rule } = cr;
    const { records, noDataSince } = this.state;
    const values = (this.computers.get(cr) as RuleValueComputer).compute(this.state.store, now, slack);
    if (values.noData) {
      const since = noDataSince.get(rule.name) ?? now;
      noDataSince.set(rule.name, since);
      this.status.set(rule.name, { name: rule.name, health: 'nodata', series: 0, lastEvaluation: now, message: `no data for "${rule.statistic === 'ratio' ? rule.denominator : rule.metric}"` });
      // No data is a state of its own: alerts are held (not resolved) for one window, so a
      // restart or a late first collection does not resolve and re-fire them.
      if (now - since < rule.window) return;
    } else {
      noDataSince.delete(rule.name);
      const problem = this.labelProblems.get(rule.name);
      this.status.set(rule.name, problem !== undefined
        ? { name: rule.name, health: 'error', series: values.groups.length, lastEvaluation: now, message: problem }
        : { name: rule.name, health: 'ok', series: values.groups.length, lastEvaluation: now });
    }
    const timing = { forMs: rule.for, keepFiringForMs: rule.keepFiringFor };
    for (const { severity, level } of cr.levels) {
      const bucketKey = `${rule.name}${SEP}${severity}`;
      let byGroup = records.get(bucketKey);
      if (!byGroup) records.set(bucketKey, (byGroup = new Map()));
      const pass = ++evaluationPass;
      for (const g of values.groups) {
        const gkey = g.key;
        const active = crosses(g.value, rule.comparison, level);
        const prev = byGroup.size > 0 ? byGroup.get(gkey) : undefined;
        if (!prev && !active) continue; // the common case: inactive stays inactive, nothing allocated
        if (prev) prev.seenInPass = pass;
        const { rec, transition } = advance(prev, active, now, timing, () => ({
          id: `${bucketKey}${SEP}${gkey}`, ruleName: rule.name, severity, groupLabels: g.labels, groupKey: `${rule.name}${SEP}${gkey}`,
          state: 'pending', activeAt: now, value: g.value, threshold: level, announced: false,
        }));
        if (rec) {
          if (active || rec.keepFiringSince === undefined) rec.value = g.value;
          rec.seenInPass = pass;
          if (rec !== prev) byGroup.set(gkey, rec);
        } else byGroup.delete(gkey);
        if (transition === 'pending' && rec) events.push({ event: 'pending', rec });
        if (transition === 'resolved' && prev) resolved.push(prev);
      }
      // Label sets that produced no value this time count as "condition false" (Prometheus:
      // the series left the result vector).
      for (const [gkey, prev] of byGroup) {
        if (prev.seenInPass === pass) continue;
        const { rec, transition } = advance(prev, false, now, timing, () => prev);
        if (!rec) byGroup.delete(gkey);
        if (transition === 'resolved') resolved.push(prev);
      }
    }
  }

  private toAlert(r: AlertRecord): Alert {
    return alertOf(r, this.compiled.find((c) => c.rule.name === r.ruleName));
  }
}
