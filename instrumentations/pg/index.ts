export { PulseguardPgInstrumentation, PG_INSTRUMENTATION_NAME, patchPgModule, patchPgPoolModule } from './instrumentation';
export { PgSpanDelegate, createSampledTracerProvider } from './span-delegate';
export type { PgSpanDelegateConfig } from './span-delegate';
export { checkDatabase, DEFAULT_HEALTH_CHECK_OPTIONS } from './health-check';
export { createPgComponent, createDbApi } from './pg-component';
export type { PgComponent } from './pg-component';
export { normalizeStatement, extractOperationName, errorTypeOf, poolNameOf } from './utils';
export { DEFAULT_CONFIG } from './types';
export type {
  PgInstrumentationConfig, SlowQueriesOptions, SlowQueryStat, DbHealthCheckOptions, DbHealthCheckResult,
  DbHealthCheckPool, DbApi,
} from './types';
export {
  METRIC_DB_CLIENT_OPERATION_DURATION, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  METRIC_DB_CLIENT_CONNECTION_MAX, METRIC_DB_CLIENT_SLOW_QUERIES, METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_CLIENT_CONNECTION_STATE, DB_OPERATION_NAME_VALUE_TRANSACTION,
  DB_OPERATION_NAME_VALUE_OTHER,
} from './semconv';
