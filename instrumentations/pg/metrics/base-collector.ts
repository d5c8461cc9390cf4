import type { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { pulseguardMetrics } from '../../../src/metrics/registry';

/**
 * A group of pg metrics created once per process in the hot registry (families are idempotent
 * by name, so a re-created collector shares the same series). Subclasses create their families
 * in the constructor and expose plain methods the patches call; nothing here touches the OTel
 * SDK per query (docs/architecture.md, "Why the hot registry exists").
 */
export abstract class BaseCollector {
  protected constructor(protected readonly registry: HotMetricRegistry = pulseguardMetrics) {}
}
