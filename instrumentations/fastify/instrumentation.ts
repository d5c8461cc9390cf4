import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { InstrumentationBase, type InstrumentationConfig, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { VERSION } from '../../src/version';

/** Instrumentation scope name. */
export const FASTIFY_ROUTE_INSTRUMENTATION_NAME = 'pulseguard-instrumentation-fastify-route';

/** The start channel of fastify's `fastify.request.handler` tracing channel. */
const HANDLER_START_CHANNEL = 'tracing:fastify.request.handler:start';

/** What fastify (4.x from 4.21, 5.x) publishes when a route handler starts. */
interface HandlerStart {
  route?: { url?: unknown };
}

/**
 * Gives fastify requests their `http.route`: the route template (`/users/:id`, prefix included)
 * that fastify publishes on its `tracing:fastify.request.handler:start` diagnostics channel,
 * written into the request's RPC metadata, where instrumentation-http reads it for
 * `http.server.request.duration` and the span name. Never the raw path, whose values are
 * unbounded. Nothing is patched: subscribed while enabled, unsubscribed when disabled.
 */
export class FastifyRouteInstrumentation extends InstrumentationBase {
  private subscribed = false;
  private readonly onHandlerStart = (message: unknown): void => {
    const url = (message as HandlerStart).route?.url;
    if (typeof url !== 'string') return;
    // Published synchronously inside the request's async context.
    const metadata = getRPCMetadata(context.active());
    if (metadata?.type === RPCType.HTTP) metadata.route = url;
  };

  constructor(config: InstrumentationConfig = {}) {
    // Not enabled by the base constructor (it runs before this class's fields exist):
    // registerInstrumentations() enables it.
    super(FASTIFY_ROUTE_INSTRUMENTATION_NAME, VERSION, { ...config, enabled: false });
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [];
  }

  override enable(): void {
    if (this.subscribed) return;
    subscribe(HANDLER_START_CHANNEL, this.onHandlerStart);
    this.subscribed = true;
  }

  override disable(): void {
    if (!this.subscribed) return;
    unsubscribe(HANDLER_START_CHANNEL, this.onHandlerStart);
    this.subscribed = false;
  }
}
