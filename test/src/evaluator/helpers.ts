import { resourceFromAttributes } from '@opentelemetry/resources';
import { ruleSchema } from '../../../src/config/schema/rules';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';
import { Evaluator, type EvaluatorOptions } from '../../../src/evaluator/evaluator';
import type { Alert, AlertEventName, RuleInput } from '../../../src/evaluator/types';

/** An evaluator over a private hot registry, driven by a fake clock. */
export interface Harness {
  registry: HotMetricRegistry;
  evaluator: Evaluator;
  events: { event: AlertEventName; alert: Alert }[];
  clock: { now: number };
  /** Advances the clock by `ms` and evaluates once. */
  step(ms?: number): Promise<void>;
}

export const T0 = Date.UTC(2026, 0, 1);

export function harness(rules: RuleInput[], opts: Partial<EvaluatorOptions> & { registry?: HotMetricRegistry; clock?: { now: number } } = {}): Harness {
  const registry = opts.registry ?? new HotMetricRegistry();
  const producer = createHotMetricProducer(registry, resourceFromAttributes({}));
  const clock = opts.clock ?? { now: T0 };
  const evaluator = new Evaluator({
    rules: rules.map((r) => ruleSchema().parse(r)),
    collect: async () => (await producer.collect()).resourceMetrics,
    intervalMs: 15_000,
    now: () => clock.now,
    ...opts,
  });
  const events: Harness['events'] = [];
  for (const e of ['pending', 'firing', 'resolved'] as const) evaluator.events.on(e, (alert) => events.push({ event: e, alert: alert as Alert }));
  return {
    registry, evaluator, events, clock,
    async step(ms = 15_000) {
      clock.now += ms;
      await evaluator.evaluateNow();
    },
  };
}

/** "event:alertname:severity" strings, for compact assertions. */
export function names(events: Harness['events']): string[] {
  return events.map((e) => `${e.event}:${e.alert.alertname}:${e.alert.severity}`);
}
