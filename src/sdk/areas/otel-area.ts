import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { PulseguardConfig } from '../../config/types';
import { withTimeout } from '../../internal/safe-call';
import { defineArea } from '../area';
import { createSpanProcessors } from '../exporters';
import type { OtelSetup } from '../otel-setup';

/**
 * The OpenTelemetry SDK pulseguard runs: sdk-metrics with the readers the earlier areas added and
 * sdk-trace-node with OTLP span export when enabled, registered as the API globals (context
 * manager and W3C propagators included, as NodeSDK would).
 */
export function createOtelArea(setup: OtelSetup) {
  return defineArea({
    name: 'otel',
    logName: 'pulseguard',
    settings: (c: PulseguardConfig) => ({ otlp: c.exporters.otlp, flushTimeoutMs: c.shutdown.flushTimeoutMs }),
    create(ctx) {
      const meterProvider = new MeterProvider({ resource: ctx.resource, readers: [...setup.takeReaders()] });
      const tracerProvider = new NodeTracerProvider({ resource: ctx.resource, spanProcessors: createSpanProcessors(ctx.config.otlp) });
      tracerProvider.register();
      metrics.setGlobalMeterProvider(meterProvider);
      setup.setProviders(meterProvider, tracerProvider);
      return {
        handle: { mode: 'own' as const },
        async stop() {
          try {
            await withTimeout(Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]), ctx.config.flushTimeoutMs, 'OpenTelemetry SDK shutdown');
          } catch (err) {
            ctx.logger.warn({ err }, 'OpenTelemetry SDK did not shut down cleanly');
          }
          // Release the API globals so a later start() in the same process (tests, a restart
          // after reconfiguration) can register its own.
          metrics.disable();
          trace.disable();
          context.disable();
          propagation.disable();
        },
      };
    },
  });
}
