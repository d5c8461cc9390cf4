import type { PulseguardConfig } from '../../config/types';
import { createEvaluatorArea } from '../../evaluator/evaluator-area';
import { defineArea } from '../area';

/**
 * The threshold evaluator, when `rules.enabled`: its own reader on the metric stream (added
 * before the providers exist), the rule pack, and the alert bus other areas subscribe to.
 * Typos in rules throw a ConfigError here, before anything is patched.
 */
export const evaluatorArea = defineArea({
  name: 'evaluator',
  // The evaluator names its own child logger.
  logName: false,
  settings: (c: PulseguardConfig) => (c.rules.enabled ? c : undefined),
  create(ctx) {
    if (!ctx.config) return { handle: undefined };
    const area = createEvaluatorArea(ctx.config, ctx.logger, { now: () => ctx.clock.now() });
    for (const reader of area.component.readers?.([...ctx.producers]) ?? []) ctx.addMetricReader(reader);
    return {
      handle: { alerts: area.alerts, report: (o) => area.report(o) },
      start: () => area.component.start?.(),
      stop: () => area.component.shutdown?.(),
    };
  },
});
