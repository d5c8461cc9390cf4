import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Component, ComponentContext } from '../../src/telemetry/types';
import type { PulseguardConfig } from '../../src/config/types';
import { PulseguardPgInstrumentation, getActiveSlowQueryAnalyzer } from './instrumentation';
import { PgSpanDelegate } from './span-delegate';
import { checkDatabase } from './health-check';
import type { DbApi } from './types';

/** The pg component start() wires in: the instrumentations, and `telemetry.db`. */
export interface PgComponent extends Component {
  readonly db: DbApi;
}

/**
 * `telemetry.db`. Works with the instrumentation off too: slowQueries() is then empty and the
 * health check still probes the pool it is given. Defaults come from the config's thresholds.
 */
export function createDbApi(config: PulseguardConfig): DbApi {
  const defaults = {
    timeoutMs: config.instrumentations.pg.healthCheckTimeoutMs,
    warnLatencyMs: config.thresholds.database.queryTime,
    minAvailable: config.thresholds.pools.database.minAvailable,
    maxWaitingClients: config.thresholds.pools.database.maxWaitingClients,
  };
  return {
    slowQueries: (options) => getActiveSlowQueryAnalyzer()?.slowQueries(options) ?? [],
    healthCheck: (pool, options) => checkDatabase(pool, { ...defaults, ...options }),
  };
}

/** Builds the pg component when `instrumentations.pg.enabled`; spans only when `instrumentations.pg.spans`. */
export function createPgComponent(ctx: ComponentContext): PgComponent | undefined {
  const pg = ctx.config.instrumentations.pg;
  if (!pg.enabled) return undefined;
  const logger = ctx.logger.child({ component: 'pg' });
  // The span delegate is built (and so hooks `pg`) first: instrumentation-pg unwraps and re-wraps
  // its own patch once per module it hooks, and being first keeps its wrapper below ours.
  const spans = pg.spans ? new PgSpanDelegate({ spanSampleRatio: pg.spanSampleRatio }) : undefined;
  const metrics = new PulseguardPgInstrumentation({
    slowQueryThresholdMs: ctx.config.thresholds.database.queryTime,
    slowTransactionThresholdMs: ctx.config.thresholds.database.transactionTime,
    logSlowQueries: pg.logSlowQueries,
    explainSlowQueries: pg.explainSlowQueries,
    explainPerMinute: pg.explainPerMinute,
    handlePoolErrors: pg.handlePoolErrors,
    slowQueryRetentionMs: pg.slowQueryRetentionMs,
    logger,
  });
  const list: Instrumentation[] = spans ? [spans, metrics] : [metrics];
  return {
    name: 'pg',
    db: createDbApi(ctx.config),
    instrumentations: () => list,
    shutdown() {
      metrics.disable();
      spans?.disable();
    },
  };
}
