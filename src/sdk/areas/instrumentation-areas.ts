import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { FastifyRouteInstrumentation } from '../../../instrumentations/fastify/index';
import { isOnOwnServer } from '../../internal/own-requests';
import { OwnEndpointsFilteredHttpInstrumentation } from '../own-endpoints-filter';
import type { PulseguardConfig } from '../../config/types';
import { IsolatedRuntimeNodeInstrumentation } from '../../host-metrics/collection-isolation';
import { createPgComponent, createDbApi } from '../../../instrumentations/pg/pg-component';
import { createWsInstrumentation, wsConfigFromPulseguard } from '../../../instrumentations/ws/index';
import type * as TelegramTelemetryModule from '../../../instrumentations/telegram/telegram-telemetry';
import type * as SessionLeaseModule from '../../../instrumentations/telegram/session-lease';
import { asRedisStore } from '../../limits/stores/as-redis-store';
import { defineArea } from '../area';

// The areas that instrument libraries. Each builds its instrumentations and hands them to
// ctx.instrument(), which enables them against the providers in effect and disables them when
// the area stops.

/**
 * Incoming and outgoing HTTP (upstream instrumentation-http: http.server.request.duration...),
 * with the route template as `http.route` for express (instrumentation-express) and fastify
 * apps, and pulseguard's own endpoints left out (src/internal/own-requests.ts).
 */
export const httpArea = defineArea({
  name: 'http',
  settings: (c: PulseguardConfig) => c.instrumentations.http,
  create(ctx) {
    if (!ctx.config.enabled) return { handle: undefined };
    ctx.instrument([
      new OwnEndpointsFilteredHttpInstrumentation({ ignoreIncomingRequestHook: isOnOwnServer }),
      ...(ctx.config.routes ? [
        // Only the route matters here: no span per middleware or router layer.
        new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
        new FastifyRouteInstrumentation(),
      ] : []),
    ]);
    return { handle: undefined };
  },
});

/** Host and runtime metrics (upstream runtime-node: nodejs.eventloop.*, v8js.*). */
export const hostMetricsArea = defineArea({
  name: 'hostMetrics',
  settings: (c: PulseguardConfig) => c.instrumentations.runtime,
  create(ctx) {
    // Isolated: its event-loop callbacks reset per call; the evaluator's reader must not steal /metrics' windows.
    if (ctx.config.enabled) ctx.instrument([new IsolatedRuntimeNodeInstrumentation({ monitoringPrecision: ctx.config.monitoringPrecisionMs })]);
    return { handle: undefined };
  },
});

/** PostgreSQL: pulseguard's pg metrics, optional spans, and `telemetry.db`. */
export const pgArea = defineArea({
  name: 'pg',
  // The pg component names its own child logger.
  logName: false,
  settings: (c: PulseguardConfig) => c,
  create(ctx) {
    const pg = createPgComponent({ config: ctx.config, logger: ctx.logger, resource: ctx.resource });
    if (!pg) return { handle: createDbApi(ctx.config) };
    ctx.instrument(pg.instrumentations?.() ?? []);
    return { handle: pg.db, stop: () => pg.shutdown?.() };
  },
});

/** WebSocket (ws) servers and clients; `telemetry.websocket`. */
export const wsArea = defineArea({
  name: 'ws',
  settings: (c: PulseguardConfig) => (c.instrumentations.ws.enabled ? wsConfigFromPulseguard(c) : undefined),
  create(ctx) {
    if (!ctx.config) return { handle: undefined };
    // The guards decide through the one limiter.
    const ws = createWsInstrumentation({ ...ctx.config, limiter: ctx.limiter });
    ctx.instrument([ws]);
    return { handle: ws.api() };
  },
});

/** GramJS (telegram): RPC, flood waits, DCs, sessions; `telemetry.telegram`. */
export const telegramArea = defineArea({
  name: 'telegram',
  // GramJS monitoring logs as the app logger did before the area contract (its parts name themselves).
  logName: false,
  settings: (c: PulseguardConfig) => (c.instrumentations.telegram.enabled
    ? { ...c.instrumentations.telegram, maxAvgLatencyMs: c.thresholds.telegram.messageLatency.critical, backoff: c.recovery.backoff }
    : undefined),
  create(ctx) {
    if (!ctx.config) return { handle: undefined };
    // Required here, not at the top: a config with telegram off never loads its ~30 modules.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createTelegramTelemetry } = require('../../../instrumentations/telegram/telegram-telemetry') as typeof TelegramTelemetryModule;
    const { createRedisLeaseStore } = require('../../../instrumentations/telegram/session-lease') as typeof SessionLeaseModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    // The send guards decide through the one limiter, with its policies and store.
    const telegram = createTelegramTelemetry({ ...ctx.config, limits: ctx.limiter }, ctx.logger);
    ctx.instrument([telegram.instrumentation]);
    const store = asRedisStore(ctx.limiter.store);
    // A fleet shares Telegram session leases through the limiter's Redis (one session, one process).
    if (store) telegram.useLeaseStore(createRedisLeaseStore(store.client, `${ctx.root.rateLimits.keyPrefix}:tg-lease:`));
    return { handle: telegram, stop: () => telegram.close() };
  },
});
