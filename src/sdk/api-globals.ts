import { context, metrics, propagation, trace } from '@opentelemetry/api';

/**
 * The registrations @opentelemetry/api keeps for every copy of itself under one global symbol
 * (the cross-copy contract of API 1.x). Read to know which signals an app's SDK registered
 * without registering anything, which would log a "duplicate registration" error.
 */
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

type Signal = 'trace' | 'metrics' | 'context' | 'propagation';

/** The object the app registered for `signal`, if any. @internal */
export function registeredGlobal(signal: Signal): unknown {
  const registry = (globalThis as Record<symbol, Partial<Record<Signal, unknown>> | undefined>)[API_GLOBAL];
  return registry?.[signal];
}

type Setter = 'setGlobalMeterProvider' | 'setGlobalTracerProvider' | 'setGlobalContextManager' | 'setGlobalPropagator';
const APIS: Record<Setter, { api: object; disable: () => void }> = {
  setGlobalMeterProvider: { api: metrics, disable: () => metrics.disable() },
  setGlobalTracerProvider: { api: trace, disable: () => trace.disable() },
  setGlobalContextManager: { api: context, disable: () => context.disable() },
  setGlobalPropagator: { api: propagation, disable: () => propagation.disable() },
};

/**
 * While pulseguard holds a global, an app that registers its own SDK afterwards would be refused
 * ("duplicate registration", and its instrumentations would then record into pulseguard's
 * provider, so its own exporter shows nothing). This steps aside instead: pulseguard's global is
 * released, the app's is registered, and `onTaken` lets pulseguard join it. `holds` says whether
 * pulseguard's registration is still the one in place. Returns a function
 * that puts the API's own setter back.
 * @internal
 */
export function yieldGlobalOnRegistration(setter: Setter, holds: () => boolean, onTaken: (theirs: unknown) => void): () => void {
  const { api, disable } = APIS[setter];
  const target = api as Record<Setter, (value: unknown) => boolean>;
  const original = target[setter];
  target[setter] = function yieldToApp(this: unknown, value: unknown): boolean {
    if (!holds()) return original.call(api, value);
    disable();
    const ok = original.call(api, value);
    if (ok) onTaken(value);
    return ok;
  };
  return () => {
    if (target[setter] !== original) delete (target as Partial<Record<Setter, unknown>>)[setter];
  };
}
