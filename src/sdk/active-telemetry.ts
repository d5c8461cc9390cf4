import type { Telemetry } from './telemetry';

// One SDK per process, also across copies of this module (register + the app's own import).
const ACTIVE = Symbol.for('pulseguard.telemetry');
type GlobalWithTelemetry = typeof globalThis & { [ACTIVE]?: Telemetry };

/**
 * The running telemetry, if start() was called (for example by `pulseguard/register`). A leaf
 * module: framework adapters read the handle here without loading the composition root (and so
 * the whole SDK).
 */
export function getTelemetry(): Telemetry | undefined {
  return (globalThis as GlobalWithTelemetry)[ACTIVE];
}

/** @internal Called by start() once everything runs. */
export function setActiveTelemetry(telemetry: Telemetry): void {
  (globalThis as GlobalWithTelemetry)[ACTIVE] = telemetry;
}

/** @internal Called by shutdown(): forgets `telemetry` if it is still the active one. */
export function clearActiveTelemetry(telemetry: Telemetry): void {
  if ((globalThis as GlobalWithTelemetry)[ACTIVE] === telemetry) delete (globalThis as GlobalWithTelemetry)[ACTIVE];
}
