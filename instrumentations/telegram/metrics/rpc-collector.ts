import type { HotHistogramSeries, HotSum } from '../../../src/metrics/hot-metrics';
import type { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import {
  ATTR_ERROR_TYPE, ATTR_RPC_METHOD, ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_DC, ATTR_TELEGRAM_ERROR, METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_ERRORS,
  METRIC_TELEGRAM_RPC_LATENCY,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds; a Telegram RPC is ~50-300 ms, flood sleeps stretch a call to minutes. */
export const RPC_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

/** telegram.rpc.duration, telegram.rpc.latency and telegram.rpc.errors. @internal */
export class RpcCollector extends BaseCollector {
  private readonly duration;
  private readonly errors;
  private readonly latency;
  private readonly latencyHandles = this.cache<HotHistogramSeries>();
  private readonly durationHandles = this.cache<HotHistogramSeries>();
  private readonly errorHandles = this.cache<HotSum>();

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.duration = registry.histogram({ name: METRIC_TELEGRAM_RPC_DURATION, unit: 's',
      description: 'Duration of Telegram RPC calls, retries and silent flood sleeps included.' }, RPC_DURATION_BUCKETS);
    this.latency = registry.histogram({ name: METRIC_TELEGRAM_RPC_LATENCY, unit: 's',
      description: 'Latency of Telegram RPC calls: slept flood waits and calls that waited through a reconnect left out.' }, RPC_DURATION_BUCKETS);
    this.errors = registry.counter({ name: METRIC_TELEGRAM_RPC_ERRORS, unit: '{error}',
      description: 'Telegram RPC errors per attempt, by method and raw error family.' });
  }

  /** Records one finished call; `errorType` is undefined on success, `account` when the app named the client. */
  recordCall(method: string, dc: number, errorType: string | undefined, seconds: number, account?: string): void {
    const key = `${method}|${dc}|${errorType ?? ''}|${account ?? ''}`;
    this.durationHandles.get(key, () => {
      const attrs: Record<string, string | number> = { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_DC]: dc };
      if (errorType !== undefined) attrs[ATTR_ERROR_TYPE] = errorType;
      if (account !== undefined) attrs[ATTR_TELEGRAM_ACCOUNT] = account;
      return this.duration.series(attrs);
    }).record(seconds);
  }

  /** Records the latency of one call (flood sleeps taken out; not called for a call that waited through a reconnect). */
  recordLatency(method: string, seconds: number, account?: string): void {
    this.latencyHandles.get(account === undefined ? method : `${method}|${account}`, () => this.latency.series(account === undefined
      ? { [ATTR_RPC_METHOD]: method } : { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_ACCOUNT]: account })).record(seconds);
  }

  /** Counts one failed attempt. */
  recordError(method: string, family: string, account?: string): void {
    this.errorHandles.get(`${method}|${family}|${account ?? ''}`, () => this.errors.series(account === undefined
      ? { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_ERROR]: family }
      : { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_ERROR]: family, [ATTR_TELEGRAM_ACCOUNT]: account })).add(1);
  }
}
