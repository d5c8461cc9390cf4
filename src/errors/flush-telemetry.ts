import { metrics, trace } from '@opentelemetry/api';

interface Flushable {
  forceFlush(): Promise<void>;
}

function flushable(p: unknown): Flushable | undefined {
  return p !== null && typeof p === 'object' && typeof (p as Partial<Flushable>).forceFlush === 'function' ? (p as Flushable) : undefined;
}

/**
 * Force-flushes the globally registered SDK providers (every metric reader, every span
 * processor), which is what a crash needs before the process exits. NodeSDK has no public
 * forceFlush, and the API's tracer provider is a proxy whose delegate is the SDK's.
 */
export async function flushGlobalTelemetry(): Promise<void> {
  const tracerProvider = trace.getTracerProvider() as unknown as { getDelegate?: () => unknown };
  const targets = [
    flushable(metrics.getMeterProvider()),
    flushable(typeof tracerProvider.getDelegate === 'function' ? tracerProvider.getDelegate() : tracerProvider),
  ].filter((t): t is Flushable => t !== undefined);
  await Promise.allSettled(targets.map((t) => t.forceFlush()));
}
