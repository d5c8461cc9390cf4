import { context, createNoopMeter, metrics, propagation, ProxyTracerProvider, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { MeterProvider as SdkMeterProvider, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PulseguardConfig } from '../../config/types';
import { safeCall, withTimeout } from '../../internal/safe-call';
import type { Logger } from '../../logging/logger';
import { defineArea } from '../area';
import { createSpanProcessors } from '../exporters';
import type { OtelSetup } from '../otel-setup';
import { MetricStream } from '../metric-stream';
import { OwnMetricReader } from '../own-metric-reader';
import { registeredGlobal, yieldGlobalOnRegistration } from '../api-globals';
import { addReaderProducer, inspectMeterProvider, removeReaderProducer, SUPPORTED_SDK_METRICS_VERSION, type ForeignMeterProvider } from '../sdk-metrics-internals';

const NOOP_METER_PROVIDER: MeterProvider = { getMeter: () => createNoopMeter() };

/**
 * What becomes of pulseguard's upstream instrumentations (http, runtime-node, pg spans) once an
 * app that registered its own SDK later runs the same ones. Patching instrumentations of one kind
 * do not stack (InstrumentationBase unwraps before it wraps: the last to patch wins), so pulseguard's
 * records into the app's providers, exactly as the app's own would. Observing ones (runtime-node)
 * would report every callback twice: they record nothing more.
 */
function standAside(instrumentations: readonly Instrumentation[]): void {
  for (const i of instrumentations) {
    safeCall('otel', () => {
      const patches = ((i as Partial<InstrumentationWithModules>).getModuleDefinitions?.() ?? []).length > 0;
      i.setMeterProvider(patches ? metrics.getMeterProvider() : NOOP_METER_PROVIDER);
      i.setTracerProvider(patches ? trace.getTracerProvider() : new ProxyTracerProvider());
    });
  }
}

/** InstrumentationBase's public (not in the Instrumentation interface) list of patched modules. */
interface InstrumentationWithModules {
  getModuleDefinitions(): readonly unknown[];
}

/**
 * The OpenTelemetry SDK side of pulseguard, one of two ways:
 * - **own**: no SDK is registered, so pulseguard registers a light one (sdk-metrics, and
 *   sdk-trace-node with OTLP span export when enabled; context manager and W3C propagators as
 *   NodeSDK would). If the app registers its own SDK later, pulseguard yields each global to it
 *   and joins it as below, so that SDK's exporter is not left empty and nothing is refused.
 * - **attached**: the app's SDK is registered first; pulseguard registers nothing, records through
 *   the app's providers, reads the app's stream on /metrics and adds its own metrics to the
 *   app's readers.
 * Either way an upstream instrumentation the app's SDK already runs (http, runtime-node, pg) is
 * not run a second time, and pulseguard's pg metrics of the same names are left out.
 */
export function createOtelArea(setup: OtelSetup, spanTrail: SpanProcessor) {
  return defineArea({
    name: 'otel',
    logName: 'pulseguard',
    settings: (c: PulseguardConfig) => ({ otlp: c.exporters.otlp, flushTimeoutMs: c.shutdown.flushTimeoutMs, cardinalityLimit: c.exporters.prometheus.cardinalityLimit }),
    create(ctx) {
      const readers = [...setup.takeReaders()];
      // The cardinality cap lives on the collector that stores the series: this one.
      const ownReader = new OwnMetricReader(() => readers, { cardinalitySelector: () => ctx.config.cardinalityLimit });
      const ownMeterProvider = new SdkMeterProvider({ resource: ctx.resource, readers: [ownReader] });
      const stream = new MetricStream({ collect: (o) => ownReader.collect(o) }, ctx.resource);
      for (const r of readers) r.setMetricProducer(stream);
      const joined = new Joined(stream, [...ctx.producers, { collect: (o) => ownReader.collect(o) }], ctx.logger);
      const undo: (() => void)[] = [];

      const appMeterProvider = registeredGlobal('metrics');
      const app = appMeterProvider ? inspectMeterProvider(appMeterProvider) : undefined;
      let meterProvider: MeterProvider = ownMeterProvider;
      if (app) {
        joined.join(app);
        setup.setAppScopes(app.scopes(), standAside);
        meterProvider = metrics.getMeterProvider();
      } else if (appMeterProvider) {
        ctx.logger.warn({ expected: `@opentelemetry/sdk-metrics ${SUPPORTED_SDK_METRICS_VERSION}` },
          'a MeterProvider pulseguard cannot join is registered: /metrics shows pulseguard\'s own metrics only');
      } else {
        metrics.setGlobalMeterProvider(ownMeterProvider);
        undo.push(yieldGlobalOnRegistration('setGlobalMeterProvider', () => registeredGlobal('metrics') === ownMeterProvider, (theirs) => {
          const later = inspectMeterProvider(theirs);
          if (!later) return;
          joined.join(later);
          // The app's instrumentations get their meters right after its SDK registers (NodeSDK
          // calls setMeterProvider in the same tick): read its scopes once that is done.
          queueMicrotask(() => setup.setAppScopes(later.scopes(), standAside));
        }));
      }

      const ownTracerProvider = new NodeTracerProvider({ resource: ctx.resource, spanProcessors: [spanTrail, ...createSpanProcessors(ctx.config.otlp)] });
      let tracerProvider: TracerProvider = ownTracerProvider;
      if (registeredGlobal('trace')) {
        tracerProvider = trace.getTracerProvider();
        if (ctx.config.otlp.enabled && ctx.config.otlp.traces) ctx.logger.warn('the app registered its own TracerProvider: spans go to its exporters, not to exporters.otlp');
      } else {
        ownTracerProvider.register({
          contextManager: registeredGlobal('context') ? null : undefined,
          propagator: registeredGlobal('propagation') ? null : undefined,
        });
        const ownContext = registeredGlobal('context');
        const ownPropagation = registeredGlobal('propagation');
        const holdsTrace = (): boolean => (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() === ownTracerProvider;
        undo.push(
          yieldGlobalOnRegistration('setGlobalTracerProvider', holdsTrace, () => setup.retarget(trace.getTracerProvider())),
          yieldGlobalOnRegistration('setGlobalContextManager', () => registeredGlobal('context') === ownContext, () => {}),
          yieldGlobalOnRegistration('setGlobalPropagator', () => registeredGlobal('propagation') === ownPropagation, () => {}),
        );
      }
      setup.setProviders(meterProvider, tracerProvider);

      return {
        handle: { get mode() {
          return joined.app ? 'attached' as const : 'own' as const;
        } },
        async stop() {
          for (const u of undo) u();
          joined.leave();
          const ownMetricsGlobal = registeredGlobal('metrics') === ownMeterProvider;
          const ownTraceGlobal = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() === ownTracerProvider;
          try {
            await withTimeout(Promise.all([ownMeterProvider.shutdown(), ownTracerProvider.shutdown()]), ctx.config.flushTimeoutMs, 'OpenTelemetry SDK shutdown');
          } catch (err) {
            ctx.logger.warn({ err }, 'OpenTelemetry SDK did not shut down cleanly');
          }
          // Release the API globals pulseguard registered (never the app's), so a later start()
          // in the same process (tests, a restart after reconfiguration) can register its own.
          if (ownMetricsGlobal) metrics.disable();
          if (ownTraceGlobal) {
            trace.disable();
            context.disable();
            propagation.disable();
          }
        },
      };
    },
  });
}

/** pulseguard's membership in the app's SDK: its stream read on /metrics, pulseguard's producers on the app's readers. */
class Joined {
  app: ForeignMeterProvider | undefined;
  constructor(private readonly stream: MetricStream, private readonly producers: readonly MetricProducer[], private readonly logger: Logger) {}

  join(app: ForeignMeterProvider): void {
    this.leave();
    this.app = app;
    const appStream = app.cumulativeStream();
    if (appStream) this.stream.attach(appStream);
    else this.logger.warn('the app\'s metric readers are all delta: /metrics leaves out the app\'s own instruments');
    let added = true;
    for (const r of app.readers()) for (const p of this.producers) added = addReaderProducer(r, p) && added;
    if (!added) this.logger.warn('a metric reader of the app cannot take extra producers: its exporter leaves out pulseguard\'s metrics');
    this.logger.info({ readers: app.readers().length }, 'joined the OpenTelemetry SDK the app registered');
  }

  leave(): void {
    if (!this.app) return;
    for (const r of this.app.readers()) for (const p of this.producers) removeReaderProducer(r, p);
    this.stream.detach();
    this.app = undefined;
  }
}
