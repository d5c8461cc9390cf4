import { performance } from 'node:perf_hooks';
import type { HotHistogramSeries } from '../../src/metrics/hot-metrics';
import { reportInternalError } from '../../src/internal/internal-errors';
import type { PgClientInternals, PgPoolInternals } from './internal-types';
import type { ServerSeries, OperationCollector } from './metrics/operation-collector';
import type { PoolCollector } from './metrics/pool-collector';
import type { SlowQueryAnalyzer, SlowQueryLogger } from './slow-query-analyzer';
import type { ExplainTarget } from './explain-runner';
import { extractOperationName, errorTypeOf } from './utils';
import { COMPONENT_PG } from './semconv';

/** Per-client state, kept on the client under a private symbol. */
interface ClientState {
  series: ServerSeries;
  /** Last query text and its operation: repeated statements skip the parse (a pointer compare). */
  lastText: string | undefined;
  lastOp: string | undefined;
  /** The success series of lastOp, so the common case is no Map lookup at all. */
  okOp: string | undefined;
  okSeries: HotHistogramSeries | undefined;
  /** performance.now() when BEGIN was sent, or -1 outside a transaction. */
  txStart: number;
  target: ExplainTarget | undefined;
}

const CLIENT_STATE = Symbol('pulseguard.pg.client');
type WithState = PgClientInternals & { [CLIENT_STATE]?: ClientState };

const TX_BEGIN: ReadonlySet<string> = new Set(['BEGIN', 'START']);
const TX_END: ReadonlySet<string> = new Set(['COMMIT', 'ROLLBACK', 'END', 'ABORT']);

/** Everything the query patch needs, built once when the instrumentation is enabled. */
export interface QueryRecorderParts {
  operations: OperationCollector;
  pools: PoolCollector;
  analyzer: SlowQueryAnalyzer;
  logger: SlowQueryLogger | undefined;
  handlePoolErrors: boolean;
}

/**
 * Measures queries for the patched `Client.prototype.query`: one performance.now() at the start,
 * one at the end, a cached series handle and a plain bucket increment in between. Slow queries go
 * to the analyzer; nothing on this path allocates attributes or calls the OTel SDK.
 */
export class QueryRecorder {
  private readonly poolErrorListeners = new Map<PgPoolInternals, (err: unknown) => void>();

  constructor(private readonly parts: QueryRecorderParts) {}

  /** Runs `original` (the unpatched query) for `client`, measuring it. */
  run(client: PgClientInternals, original: (...args: unknown[]) => unknown, args: unknown[] /* the call's arguments object */): unknown {
    let st: ClientState;
    let op: string | undefined;
    let text: string | undefined;
    try {
      st = this.state(client as WithState);
      const a0: unknown = args[0];
      if (typeof a0 === 'string') text = a0;
      else if (a0 !== null && typeof a0 === 'object' && typeof (a0 as { text?: unknown }).text === 'string') text = (a0 as { text: string }).text;
      if (text !== undefined) {
        if (text === st.lastText) op = st.lastOp;
        else {
          op = extractOperationName(text);
          st.lastText = text;
          st.lastOp = op;
        }
      }
    } catch (err) {
      reportInternalError(COMPONENT_PG, err);
      return original.apply(client, args);
    }
    const last = args.length - 1;
    const cb: unknown = last >= 0 ? args[last] : undefined;
    const start = performance.now();
    if (typeof cb === 'function') {
      // A function expression (not an arrow) keeps the `this` pg calls the callback with.
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const recorder = this;
      args[last] = function measuredCallback(this: unknown, err: unknown, res: unknown): unknown {
        recorder.finish(st, op, text, start, err !== null && err !== undefined, err);
        return (cb as (...a: unknown[]) => unknown).call(this, err, res);
      };
    }
    let result: unknown;
    try {
      result = original.apply(client, args);
    } catch (err) {
      this.finish(st, op, text, start, true, err);
      throw err;
    }
    if (typeof cb !== 'function' && result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      // A side branch, not a replacement: the caller gets pg's own promise back, unchanged.
      (result as Promise<unknown>).then(
        () => this.finish(st, op, text, start, false, undefined),
        (err: unknown) => this.finish(st, op, text, start, true, err),
      );
    }
    return result;
  }

  /** Starts reporting a pool and, when configured, keeps its idle-client errors from crashing the app. */
  trackPool(pool: PgPoolInternals): void {
    if (!this.parts.pools.track(pool) || !this.parts.handlePoolErrors) return;
    const logger = this.parts.logger;
    const listener = (err: unknown): void => {
      // pg-pool has already removed the broken client; without any 'error' listener Node would
      // throw this from the EventEmitter and take the process down (a killed backend, a restart).
      logger?.warn({ errorType: errorTypeOf(err), err: err instanceof Error ? { message: err.message } : undefined },
        'idle database connection failed; the pool dropped it');
    };
    pool.on('error', listener);
    this.poolErrorListeners.set(pool, listener);
  }

  /** Stops reporting every pool and removes the error listeners it added. */
  close(): void {
    for (const [pool, listener] of this.poolErrorListeners) pool.removeListener('error', listener);
    this.poolErrorListeners.clear();
    this.parts.pools.clear();
  }

  private finish(st: ClientState, op: string | undefined, text: string | undefined, start: number, failed: boolean, err: unknown): void {
    try {
      const end = performance.now();
      const ms = end - start;
      if (!failed) {
        let s = st.okSeries;
        if (s === undefined || st.okOp !== op) {
          s = st.series.success(op);
          st.okSeries = s;
          st.okOp = op;
        }
        s.record(ms / 1000);
      } else {
        st.series.failure(op, errorTypeOf(err)).record(ms / 1000);
      }
      if (op === undefined) return;
      const analyzer = this.parts.analyzer;
      if (TX_BEGIN.has(op)) {
        st.txStart = failed ? -1 : start;
      } else if (TX_END.has(op)) {
        if (st.txStart >= 0) {
          const txMs = end - st.txStart;
          st.txStart = -1;
          if (txMs > analyzer.transactionThresholdMs) analyzer.slowTransaction(txMs);
        }
      } else if (ms > analyzer.thresholdMs && text !== undefined) {
        analyzer.slowQuery(op, text, ms, st.target);
      }
    } catch (e) {
      reportInternalError(COMPONENT_PG, e);
    }
  }

  private state(client: WithState): ClientState {
    let st = client[CLIENT_STATE];
    if (st === undefined) {
      const p = client.connectionParameters ?? {};
      const port = typeof p.port === 'number' ? p.port : Number(p.port);
      st = {
        series: this.parts.operations.forServer({
          namespace: client.database ?? p.database,
          address: p.host,
          port: Number.isInteger(port) ? port : undefined,
        }),
        lastText: undefined, lastOp: undefined, okOp: undefined, okSeries: undefined, txStart: -1,
        target: { ClientClass: client.constructor as ExplainTarget['ClientClass'], params: p },
      };
      client[CLIENT_STATE] = st;
    }
    return st;
  }
}
