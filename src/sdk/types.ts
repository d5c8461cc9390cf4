import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';

/** What a pulseguard component gets when start() wires it in. */
export interface ComponentContext {
  config: PulseguardConfig;
  logger: Logger;
  resource: Resource;
}

/**
 * A building block some areas wrap (health server, evaluator, pg): its area (src/sdk/areas)
 * turns it into an AreaComponent.
 */
export interface Component {
  readonly name: string;
  /** OpenTelemetry instrumentations this component contributes (its area enables them). */
  instrumentations?(): Instrumentation[];
  /** Extra metric readers (e.g. the evaluator's); they get the hot-metric producer too. */
  readers?(producers: import('@opentelemetry/sdk-metrics').MetricProducer[]): MetricReader[];
  /** Runs after the SDK started. */
  start?(): Promise<void> | void;
  /** Flushes and closes; must be safe to call twice. */
  shutdown?(): Promise<void> | void;
}

/** Reads the whole metric stream once, as a reader would (for tests, reports and the CLI). */
export type CollectFn = () => Promise<ResourceMetrics>;
