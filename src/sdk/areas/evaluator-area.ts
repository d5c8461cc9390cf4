import type { PulseguardConfig } from '../../config/types';
import { createEvaluatorArea } from '../../evaluator/evaluator-area';
import { parseStoredRecords, trimStoredRecords } from '../../evaluator/restore-records';
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
    const journal = ctx.handle('journal');
    if (journal) {
      // Before the first evaluation: alert states and `for` timers of the previous run.
      const downAt = journal.savedAt;
      if (downAt !== undefined) {
        const restored = area.records.restore(parseStoredRecords(journal.restoredSection('evaluator')), {
          downAt, now: ctx.clock.now(), outageToleranceMs: ctx.config.rules.outageToleranceMs, forGracePeriodMs: ctx.config.rules.forGracePeriodMs,
        });
        if (restored > 0) ctx.logger.child({ component: 'evaluator' }).info({ alerts: restored, downForMs: ctx.clock.now() - downAt }, 'alert states restored from the journal');
      }
      // Trimmed last: without its records a firing alert is never resolved after a restart.
      journal.register('evaluator', {
        snapshot: () => area.records.snapshot(),
        trim: trimStoredRecords,
      }, 3);
    }
    return {
      handle: { alerts: area.alerts, report: (o) => area.report(o), ruleNames: area.ruleNames },
      start: () => area.component.start?.(),
      stop: () => area.component.shutdown?.(),
    };
  },
});
