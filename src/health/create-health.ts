import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { registerSecret } from '../logging/redaction';
import type { Component } from '../sdk/types';
import { HealthRegistry } from './health-registry';
import { createHttpHandler } from './http-handler';
import { startHealthServer, type HealthServer } from './standalone-server';
import { runGracefulShutdown } from './graceful-shutdown';
import type { Health, ShutdownHook } from './types';

/** @internal */
export interface CreateHealthOptions {
  config: Pick<PulseguardConfig, 'health' | 'shutdown' | 'thresholds'> & { service: Pick<PulseguardConfig['service'], 'version'> };
  logger: Logger;
  /** What the graceful shutdown calls last (start() passes `telemetry.shutdown`). */
  finalShutdown: () => Promise<void>;
  /** Injected clock for the result cache (tests). */
  now?: () => number;
}

/**
 * Builds `telemetry.health` and the component that starts/stops its standalone server.
 * @internal start() calls it; users get the result as `telemetry.health`.
 */
export function createHealth(options: CreateHealthOptions): { health: Health; component: Component } {
  const { config, logger } = options;
  const h = config.health;
  registerSecret(h.detailed.token);
  const registry = new HealthRegistry({
    version: config.service.version,
    checkTimeoutMs: h.checkTimeoutMs,
    cacheTtlMs: h.cacheTtlMs,
    connectionThresholds: config.thresholds.connection,
    now: options.now,
  });
  let shuttingDown = false;
  const hooks = new Set<ShutdownHook>();
  const handler = createHttpHandler({
    registry,
    isShuttingDown: () => shuttingDown,
    detailed: { enabled: h.detailed.enabled, token: h.detailed.token },
  });
  let server: HealthServer | undefined;
  let graceful: Promise<void> | undefined;

  const health: Health = {
    register: (name, check, opts) => registry.register(name, check, opts),
    setComponentReport: (component, provider) => registry.setComponentReport(component, provider),
    check: () => registry.check(),
    componentReport: (component) => registry.componentReport(component),
    handler,
    connections: registry.connections,
    get url() {
      return server?.url;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info('shutdown begun; readiness now answers 503');
    },
    onShutdown(hook) {
      if (typeof hook !== 'function') throw new TypeError('shutdown hook must be a function');
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    gracefulShutdown() {
      graceful ??= runGracefulShutdown({
        beginShutdown: () => health.beginShutdown(),
        hooks: () => [...hooks],
        drainMs: config.shutdown.drainMs,
        finalShutdown: options.finalShutdown,
        logger,
      });
      return graceful;
    },
  };

  const component: Component = {
    name: 'health',
    async start() {
      if (!h.enabled || h.port === undefined) return;
      server = await startHealthServer(handler, { port: h.port, host: h.host });
      logger.info({ url: server.url, detailed: h.detailed.enabled }, 'health endpoints listening');
    },
    async shutdown() {
      shuttingDown = true;
      await server?.close();
    },
  };
  return { health, component };
}
