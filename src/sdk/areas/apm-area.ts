import type { PulseguardConfig } from '../../config/types';
import { createApmCollector } from '../../apm/apm-collector';
import { PULSEGUARD_SCOPE } from '../../semconv';
import { defineArea } from '../area';

/** Transactions, measured operations and dependency calls of the app's own code. */
export const apmArea = defineArea({
  name: 'apm',
  settings: (_c: PulseguardConfig) => undefined,
  create(ctx) {
    const { meter, tracerProvider } = ctx.signals;
    const apm = createApmCollector({ meter, tracer: tracerProvider.getTracer(PULSEGUARD_SCOPE), errors: ctx.handle('errors').tracker, logger: ctx.logger });
    return { handle: apm };
  },
});
