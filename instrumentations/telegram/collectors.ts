import { pulseguardMetrics } from '../../src/metrics/registry';
import type { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { ConnectionCollector } from './metrics/connection-collector';
import { FloodCollector } from './metrics/flood-collector';
import { HandlerCollector } from './metrics/handler-collector';
import { InFlightCollector } from './metrics/inflight-collector';
import { LimitsCollector } from './metrics/limits-collector';
import { RpcCollector } from './metrics/rpc-collector';
import { UpdateCollector } from './metrics/update-collector';

/** Recent successful call latencies (ms) kept for the health snapshot's messageLatency. */
const LATENCY_WINDOW = 100;
/**
 * ...and only those younger than this: calls that were stuck during an outage finish with
 * outage-long latencies, and an idle account must not report them long after it reconnected.
 */
export const LATENCY_MAX_AGE_MS = 5 * 60_000;

/**
 * Every Telegram collector, created once per registry: hot registry families and observers
 * are process-wide, so a second instrumentation instance must reuse them, not add observers.
 *
 * @internal
 */
export class TelegramCollectors {
  readonly rpc: RpcCollector;
  readonly flood: FloodCollector;
  readonly connection: ConnectionCollector;
  readonly updates: UpdateCollector;
  readonly inflight: InFlightCollector;
  readonly limits: LimitsCollector;
  readonly handlers: HandlerCollector;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private readonly latencyAt = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;

  constructor(registry: HotMetricRegistry, private readonly now: () => number = Date.now) {
    this.rpc = new RpcCollector(registry);
    this.flood = new FloodCollector(registry);
    this.connection = new ConnectionCollector(registry);
    this.updates = new UpdateCollector(registry);
    this.inflight = new InFlightCollector(registry);
    this.limits = new LimitsCollector(registry);
    this.handlers = new HandlerCollector(registry);
  }

  /** Remembers one successful call's latency in ms and when it finished (a ring, no allocation). */
  recordLatencyMs(ms: number): void {
    const i = this.latencyCount % LATENCY_WINDOW;
    this.latencies[i] = ms;
    this.latencyAt[i] = this.now();
    this.latencyCount += 1;
  }

  /** The recent latencies of the last LATENCY_MAX_AGE_MS, oldest first (the spec's `messageLatency: number[]`). */
  recentLatenciesMs(): number[] {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    const cutoff = this.now() - LATENCY_MAX_AGE_MS;
    const out: number[] = [];
    for (let i = this.latencyCount - n; i < this.latencyCount; i++) {
      const j = i % LATENCY_WINDOW;
      if (this.latencyAt[j] >= cutoff) out.push(Math.round(this.latencies[j] * 1000) / 1000);
    }
    return out;
  }
}

const byRegistry = new WeakMap<HotMetricRegistry, TelegramCollectors>();

/** The collectors of `registry` (pulseguard's process-wide one by default). @internal */
export function telegramCollectors(registry: HotMetricRegistry = pulseguardMetrics): TelegramCollectors {
  let c = byRegistry.get(registry);
  if (!c) {
    c = new TelegramCollectors(registry);
    byRegistry.set(registry, c);
  }
  return c;
}
