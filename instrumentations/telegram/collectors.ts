import { pulseguardMetrics } from '../../src/metrics/registry';
import type { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { ConnectionCollector } from './metrics/connection-collector';
import { FloodCollector } from './metrics/flood-collector';
import { RpcCollector } from './metrics/rpc-collector';
import { UpdateCollector } from './metrics/update-collector';

/** Recent successful call latencies (ms) kept for the health snapshot's messageLatency. */
const LATENCY_WINDOW = 100;

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
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;

  constructor(registry: HotMetricRegistry) {
    this.rpc = new RpcCollector(registry);
    this.flood = new FloodCollector(registry);
    this.connection = new ConnectionCollector(registry);
    this.updates = new UpdateCollector(registry);
  }

  /** Remembers one successful call's latency in ms (a ring, no allocation). */
  recordLatencyMs(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_WINDOW] = ms;
    this.latencyCount += 1;
  }

  /** The recent latencies, oldest first (the spec's `messageLatency: number[]`). */
  recentLatenciesMs(): number[] {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    const out: number[] = [];
    for (let i = this.latencyCount - n; i < this.latencyCount; i++) out.push(Math.round(this.latencies[i % LATENCY_WINDOW] * 1000) / 1000);
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
