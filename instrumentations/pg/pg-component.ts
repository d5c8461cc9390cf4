import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Component, ComponentContext } from '../../src/sdk/types';
import type { PulseguardConfig } from '../../src/config/types';
import { PulseguardPgInstrumentation, getActiveSlowQueryAnalyzer } from './instrumentation';
import type * as SpanDelegate from './span-delegate';
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
  // Patch order with instrumentation-pg (ours, the span delegate, or the app's) does not matter:
  // pulseguard's wrapper is transparent to shimmer (see patchOnce in instrumentation.ts), so
  // instrumentation-pg's second pass replaces its own wrapper instead of stacking another. Tested
  // in test/instrumentations/pg/span-delegate.integration.test.ts and the app-SDK coexistence test.
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
  // Spans are off by default; the delegate loads @opentelemetry/instrumentation-pg only when on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const spans = pg.spans ? new (require('./span-delegate') as typeof SpanDelegate).PgSpanDelegate({ spanSampleRatio: pg.spanSampleRatio }) : undefined;
  const list: Instrumentation[] = spans ? [metrics, spans] : [metrics];
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
