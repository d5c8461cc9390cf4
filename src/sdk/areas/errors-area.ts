import type { PulseguardConfig } from '../../config/types';
import { createErrorTracker } from '../../errors/error-tracker';
import { createCrashReporter } from '../../errors/crash-reporter';
import { flushGlobalTelemetry } from '../../errors/flush-telemetry';
import { defineArea } from '../area';

/** The error tracker and, when `errors.captureCrashes`, the crash reporter (removed again on stop). */
export const errorsArea = defineArea({
  name: 'errors',
  logName: 'crash-reporter',
  settings: (c: PulseguardConfig) => ({ ...c.errors, flushTimeoutMs: c.shutdown.flushTimeoutMs }),
  create(ctx) {
    const { maxGroups, samplesPerGroup, rules, captureCrashes, flushTimeoutMs } = ctx.config;
    const tracker = createErrorTracker({ maxGroups, samplesPerGroup, rules });
    const crashReporter = captureCrashes
      ? createCrashReporter({ tracker, logger: ctx.logger, flush: flushGlobalTelemetry, flushTimeoutMs })
      : undefined;
    return {
      handle: { tracker, crashReporter },
      start: () => crashReporter?.install(),
      stop: () => crashReporter?.uninstall(),
    };
  },
});
