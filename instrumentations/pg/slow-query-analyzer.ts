import type { SlowQueriesOptions, SlowQueryStat } from './types';
import type { SlowQueryCollector } from './metrics/slow-query-collector';
import type { ExplainRunner, ExplainTarget } from './explain-runner';
import { normalizeStatement } from './utils';
import { DB_OPERATION_NAME_VALUE_TRANSACTION } from './semconv';
import { safeCallAsync } from '../../src/internal/safe-call';
import { COMPONENT_PG } from './semconv';

/** Where slow statements are logged (a pino child logger in practice). */
export interface SlowQueryLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** One slow execution kept for slowQueries(). */
interface SlowEvent {
  at: number;
  statement: string;
  operation: string;
  ms: number;
}

/** Options of the analyzer (resolved from the instrumentation config). */
export interface SlowQueryAnalyzerOptions {
  collector: SlowQueryCollector;
  logger: SlowQueryLogger | undefined;
  explainer: ExplainRunner | undefined;
  retentionMs: number;
  thresholdMs: number;
  transactionThresholdMs: number;
  /** Wall clock, injectable for tests. */
  now?: () => number;
}

/** Events kept at most (a ring); with the 1 h retention that is ~2.8 slow queries a second. */
const MAX_EVENTS = 10_000;
/** Normalised texts, plans and log times kept at most (each map is cleared when full). */
const MAX_STATEMENTS = 1_000;
/** Longest raw text whose normalised form is cached. */
const MAX_CACHED_TEXT = 4096;
/** A statement is logged at most once per this interval. */
const LOG_INTERVAL_MS = 60_000;
/** Operations worth an EXPLAIN (reads; see ExplainRunner for why nothing is executed). */
const EXPLAINABLE: ReadonlySet<string> = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);

/**
 * The spec's analyzeQueryPerformance: every query over the threshold is counted
 * (db.client.slow_queries), remembered for an hour under its normalised statement (literals
 * removed), logged at most once a minute per statement and, when enabled, explained. Runs only
 * on the slow path, so normalisation costs nothing for fast queries.
 */
export class SlowQueryAnalyzer {
  private readonly events: SlowEvent[] = [];
  private next = 0;
  private readonly normalized = new Map<string, string>();
  private readonly plans = new Map<string, unknown>();
  private readonly loggedAt = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: SlowQueryAnalyzerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The slow-query threshold in ms. */
  get thresholdMs(): number {
    return this.options.thresholdMs;
  }
  /** The slow-transaction threshold in ms. */
  get transactionThresholdMs(): number {
    return this.options.transactionThresholdMs;
  }

  /** Records one query that took `ms` (already known to be over the threshold). */
  slowQuery(operation: string, text: string, ms: number, target: ExplainTarget | undefined): void {
    let statement = this.normalized.get(text);
    if (statement === undefined) {
      statement = normalizeStatement(text);
      // Only short texts are cached: a bulk INSERT of megabytes must not be kept alive as a key.
      if (text.length <= MAX_CACHED_TEXT) {
        if (this.normalized.size >= MAX_STATEMENTS) this.normalized.clear();
        this.normalized.set(text, statement);
      }
    }
    this.record(operation, statement, ms, this.options.thresholdMs);
    const explainer = this.options.explainer;
    if (explainer !== undefined && target !== undefined && EXPLAINABLE.has(operation) && !this.plans.has(statement) && explainer.tryAcquire()) {
      const key = statement;
      void safeCallAsync(COMPONENT_PG, async () => {
        const outcome = await explainer.explain(key, target);
        if (this.plans.size >= MAX_STATEMENTS) this.plans.clear();
        this.plans.set(key, 'plan' in outcome ? outcome.plan : { error: outcome.error });
      });
    }
  }

  /** Records one transaction (BEGIN to COMMIT/ROLLBACK) that took `ms`, over its threshold. */
  slowTransaction(ms: number): void {
    this.record(DB_OPERATION_NAME_VALUE_TRANSACTION, DB_OPERATION_NAME_VALUE_TRANSACTION, ms, this.options.transactionThresholdMs);
  }

  /** The top statements by total slow time since `since` (default: the retention window). */
  slowQueries(options: SlowQueriesOptions = {}): SlowQueryStat[] {
    const now = this.now();
    const floor = Math.max(now - this.options.retentionMs, options.since === undefined ? -Infinity : Number(options.since));
    const byStatement = new Map<string, SlowQueryStat>();
    for (const e of this.events) {
      if (e.at < floor) continue;
      let s = byStatement.get(e.statement);
      if (s === undefined) {
        s = { statement: e.statement, operation: e.operation, count: 0, totalMs: 0, meanMs: 0, maxMs: 0, lastSeen: new Date(e.at) };
        byStatement.set(e.statement, s);
      }
      s.count++;
      s.totalMs += e.ms;
      if (e.ms > s.maxMs) s.maxMs = e.ms;
      if (e.at > s.lastSeen.getTime()) s.lastSeen = new Date(e.at);
    }
    const out = [...byStatement.values()];
    for (const s of out) {
      s.meanMs = s.totalMs / s.count;
      const plan = this.plans.get(s.statement);
      if (plan !== undefined) s.plan = plan;
    }
    out.sort((a, b) => b.totalMs - a.totalMs);
    return out.slice(0, Math.max(0, options.limit ?? 10));
  }

  /** Forgets every event, plan and log time (tests, reconfiguration). */
  reset(): void {
    this.events.length = 0;
    this.next = 0;
    this.normalized.clear();
    this.plans.clear();
    this.loggedAt.clear();
  }

  private record(operation: string, statement: string, ms: number, thresholdMs: number): void {
    this.options.collector.add(operation);
    const at = this.now();
    const event: SlowEvent = { at, statement, operation, ms };
    if (this.events.length < MAX_EVENTS) this.events.push(event);
    else {
      this.events[this.next] = event;
      this.next = (this.next + 1) % MAX_EVENTS;
    }
    const logger = this.options.logger;
    if (logger === undefined) return;
    const last = this.loggedAt.get(statement);
    if (last !== undefined && at - last < LOG_INTERVAL_MS) return;
    if (this.loggedAt.size >= MAX_STATEMENTS) this.loggedAt.clear();
    this.loggedAt.set(statement, at);
    logger.warn({ statement, operation, durationMs: Math.round(ms * 10) / 10, thresholdMs },
      operation === DB_OPERATION_NAME_VALUE_TRANSACTION ? 'slow database transaction' : 'slow database query');
  }
}
