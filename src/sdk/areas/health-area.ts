import type { PulseguardConfig } from '../../config/types';
import { createHealth } from '../../health/create-health';
import { defineArea } from '../area';
import { registerComponentReports } from '../component-reports';
import { registerPoolHealthChecks } from '../pool-health-checks';
import { watchPools } from '../../../instrumentations/pg/instrumentation';

/**
 * Health checks and endpoints. After the areas it reports on, so its server closes before them;
 * /health/websocket, /health/telegram and /health/rate-limits point at those areas.
 */
export const healthArea = defineArea({
  name: 'health',
  settings: (c: PulseguardConfig) => c,
  create(ctx) {
    const { health, component } = createHealth({ config: ctx.config, logger: ctx.logger, finalShutdown: () => ctx.shutdown(), now: () => ctx.clock.now() });
    registerComponentReports(health, { websocket: ctx.handle('ws'), telegram: ctx.handle('telegram'), limits: ctx.limiter, alerts: ctx.handle('evaluator')?.alerts });
    const pg = ctx.config.instrumentations.pg;
    // A check per instrumented pool (opt-out: instrumentations.pg.healthChecks).
    const stopPoolChecks = pg.enabled && pg.healthChecks ? registerPoolHealthChecks(health, ctx.handle('pg'), watchPools) : undefined;
    return {
      handle: health,
      start: () => component.start?.(),
      stop: () => {
        stopPoolChecks?.();
        return component.shutdown?.();
      },
    };
  },
});
