import type { CollectionResult, MetricCollectOptions, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';

/**
 * The SDK stream pulseguard's readers are bound to: pulseguard's own MeterProvider, plus the app's
 * SDK once pulseguard attached to it (either order). A MetricReader can be bound only once, so
 * the readers bind here and this decides what they read; the resource is always pulseguard's
 * service resource, so /metrics keeps its target_info.
 * @internal
 */
export class MetricStream implements MetricProducer {
  private app: MetricProducer | undefined;

  constructor(private readonly own: MetricProducer, private readonly resource: Resource) {}

  /** Starts reading the app's stream too (a cumulative collector of its MeterProvider). */
  attach(app: MetricProducer): void {
    this.app = app;
  }

  /** Stops reading the app's stream (pulseguard shuts down, or the app's SDK did). */
  detach(): void {
    this.app = undefined;
  }

  async collect(options?: MetricCollectOptions): Promise<CollectionResult> {
    const results = await Promise.all([this.own.collect(options), this.app?.collect(options)]);
    const scopeMetrics = [];
    const errors = [];
    for (const r of results) {
      if (!r) continue;
      scopeMetrics.push(...r.resourceMetrics.scopeMetrics);
      errors.push(...r.errors);
    }
    return { resourceMetrics: { resource: this.resource, scopeMetrics }, errors };
  }
}
