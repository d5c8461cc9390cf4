import { inspect } from 'node:util';
import { redactString } from '../logging/redaction';
import { reportInternalError } from '../internal/internal-errors';
import { errorFacts } from './error-facts';
import { newIncidentId } from './incident-id';
import { unhandledRejectionsMode } from './unhandled-rejections-mode';
import { LOG_FIELD_INCIDENT_ID } from './semconv';
import { safeCall } from '../internal/safe-call';
import { raceDeadline } from '../internal/race-deadline';
import type { CrashIncident, CrashOrigin, CrashReporter, CrashReporterOptions, CrashStatistics } from './types';

const COMPONENT = 'crash-reporter';
const DEFAULT_FLUSH_TIMEOUT_MS = 5000;
// Crash statistics are per fingerprint; cap the keys so a crash loop of distinct errors stays bounded.
const MAX_FINGERPRINTS = 1000;
const OTHER_FINGERPRINT = '_other';

type Listener = (...args: unknown[]) => void;

/** Node's own wrapper for a non-Error rejection reason (lib/internal/process/promises.js). */
function unhandledRejectionError(reason: unknown): unknown {
  if (reason instanceof Error) return reason;
  const err = new Error('This error originated either by throwing inside of an async function without a catch block, ' +
    `or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${safeInspect(reason)}".`);
  err.name = 'UnhandledPromiseRejection';
  (err as Error & { code: string }).code = 'ERR_UNHANDLED_REJECTION';
  err.stack = `${err.name}: ${err.message}`;
  return err;
}

function safeInspect(v: unknown): string {
  try {
    return inspect(v);
  } catch {
    return '[uninspectable value]';
  }
}

/**
 * What Node prints for a fatal exception: the inspected error (stack plus own properties) and the
 * Node version. Secrets are censored: this text usually ends up in the same log store as stdout.
 */
export function nodeCrashText(err: unknown): string {
  const body = err instanceof Error
    ? safeInspect(err)
    : `Uncaught ${safeInspect(err)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)`;
  return `${redactString(body)}\n\nNode.js ${process.version}\n`;
}

function describe(err: unknown): Record<string, unknown> {
  const f = errorFacts(err);
  const out: Record<string, unknown> = { type: f.type, message: f.message };
  if (f.stack) out.stack = f.stack;
  if (f.code !== undefined) out.code = f.code;
  return out;
}

/**
 * Creates a crash reporter. Installed (when `errors.captureCrashes` is on), it turns an
 * uncaught exception or an unhandled rejection into an incident: an id, a fatal log line, a
 * tracked error, a telemetry flush within a deadline, and then the exit Node would have made
 * (exit code 1 after printing the error to stderr). It never swallows a crash: when the app has
 * its own `uncaughtException` listener, that listener decides, as it would without pulseguard.
 */
export function createCrashReporter(options: CrashReporterOptions): CrashReporter {
  const { tracker, logger, flush } = options;
  const flushTimeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const writeStderr = options.writeStderr ?? ((text: string) => void process.stderr.write(text));
  const mode = options.unhandledRejections ?? unhandledRejectionsMode();

  const byFingerprint = new Map<string, number>();
  let total = 0;
  let lastIncident: CrashStatistics['lastIncident'];
  let installed = false;
  let crashing = false;
  // Strict mode delivers one rejection to both handlers; remember it so it is counted once.
  let lastCaptured: { value: unknown } | undefined;

  function record(err: unknown, origin: CrashOrigin, fatal: boolean): CrashIncident {
    const id = newIncidentId();
    const incident: CrashIncident = { id, origin, at: new Date(), errorClass: undefined, fingerprint: 'unknown', type: 'unknown', message: '' };
    try {
      lastCaptured = { value: err };
      const group = tracker.track(err, { context: { origin, [LOG_FIELD_INCIDENT_ID]: id } });
      const fingerprint = group?.fingerprint ?? 'unknown';
      const facts = errorFacts(err);
      Object.assign(incident, { errorClass: group?.errorClass, fingerprint, type: facts.type, message: facts.message });
      const key = byFingerprint.has(fingerprint) || byFingerprint.size < MAX_FINGERPRINTS ? fingerprint : OTHER_FINGERPRINT;
      byFingerprint.set(key, (byFingerprint.get(key) ?? 0) + 1);
      total++;
      lastIncident = { id, at: incident.at, origin, fingerprint };
      const fields = { [LOG_FIELD_INCIDENT_ID]: id, origin, errorClass: group?.errorClass, fingerprint, err: describe(err) };
      if (fatal) logger.fatal(fields, `${origin}: process is crashing (incident ${id})`);
      else logger.error(fields, `${origin} captured (incident ${id})`);
    } catch (fault) {
      reportInternalError(COMPONENT, fault);
    }
    return incident;
  }

  /** Flushes telemetry within the deadline; says how it went, for the stderr line. */
  async function flushWithin(id: string, deadlineMs: number): Promise<string> {
    const outcome = await raceDeadline(() => flush(deadlineMs), deadlineMs);
    if (outcome.status === 'done') return 'telemetry flushed';
    if (outcome.status === 'timeout') {
      logger.warn({ [LOG_FIELD_INCIDENT_ID]: id, flushTimeoutMs: deadlineMs }, 'telemetry flush before exit timed out');
      return 'telemetry flush timed out';
    }
    logger.warn({ [LOG_FIELD_INCIDENT_ID]: id, err: describe(outcome.error) }, 'telemetry flush before exit failed');
    return 'telemetry flush failed';
  }

  /** Sends the crash alert within the deadline; an undelivered one is logged and handed to onUndelivered. */
  async function notifyWithin(incident: CrashIncident, deadlineMs: number): Promise<string | undefined> {
    const { notify } = options;
    if (!notify) return undefined;
    const outcome = await raceDeadline(() => notify(incident, deadlineMs), deadlineMs);
    if (outcome.status === 'done' && outcome.value) return 'crash alert sent';
    const why = outcome.status === 'timeout' ? 'the deadline passed' : outcome.status === 'failed' ? 'sending failed' : 'a channel did not accept it';
    logger.warn({ [LOG_FIELD_INCIDENT_ID]: incident.id, flushTimeoutMs: deadlineMs, reason: why,
      ...(outcome.status === 'failed' ? { err: describe(outcome.error) } : {}) }, `crash alert not delivered before exit: ${why}`);
    safeCall(COMPONENT, () => options.onUndelivered?.(incident));
    return 'crash alert not delivered';
  }

  function crash(err: unknown, origin: CrashOrigin): void {
    crashing = true;
    // If anything below stalls, Node still ends with the crash's exit code.
    process.exitCode = 1;
    const incident = record(err, origin, true);
    safeCall(COMPONENT, () => options.beforeFlush?.(incident));
    // The alert and the flush share one deadline: they run side by side.
    void Promise.all([flushWithin(incident.id, flushTimeoutMs), notifyWithin(incident, flushTimeoutMs)]).then(([flushed, notified]) => {
      try {
        logger.flush?.();
        const steps = notified ? `${flushed}; ${notified}` : flushed;
        writeStderr(`pulseguard: ${origin} captured as incident ${incident.id}; ${steps}; exiting with code 1\n${nodeCrashText(err)}`);
      } catch {
        // stderr may be closed (EPIPE): the exit below matters more than the text.
      } finally {
        exit(1);
      }
    });
  }

  function othersOf(event: 'uncaughtException' | 'unhandledRejection', self: Listener): Listener[] {
    const all = event === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection');
    return (all as Listener[]).filter((l) => l !== self);
  }

  const onUncaught: Listener = (err, origin) => {
    const from: CrashOrigin = origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException';
    if (crashing) {
      // A second crash while the first one flushes: record it; the first one decides the exit.
      record(err, from, true);
      return;
    }
    // The app has its own handler: Node would not exit, so neither do we.
    if (othersOf('uncaughtException', onUncaught).length > 0) {
      record(err, from, false);
      return;
    }
    crash(err, from);
  };

  const onRejection: Listener = (reason) => {
    if (mode === 'strict' && lastCaptured !== undefined && lastCaptured.value === reason) return;
    if (crashing) {
      record(reason, 'unhandledRejection', true);
      return;
    }
    const alone = othersOf('unhandledRejection', onRejection).length === 0;
    if (mode === 'throw' && alone) {
      // Default mode: with no listener Node raises the rejection as an uncaught exception. Ours
      // counts as a listener, so do what Node would have done.
      const err = unhandledRejectionError(reason);
      const appHandlers = othersOf('uncaughtException', onUncaught);
      if (appHandlers.length === 0) {
        crash(err, 'unhandledRejection');
        return;
      }
      record(reason, 'unhandledRejection', false);
      for (const h of appHandlers) h(err, 'unhandledRejection');
      return;
    }
    record(reason, 'unhandledRejection', false);
    if (mode === 'warn-with-error-code' && alone) {
      process.emitWarning(`Unhandled promise rejection: ${errorFacts(reason).message}`, 'UnhandledPromiseRejectionWarning');
      process.exitCode = 1;
    }
  };

  return {
    install() {
      if (installed) return;
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onRejection);
      installed = true;
    },
    uninstall() {
      if (!installed) return;
      process.removeListener('uncaughtException', onUncaught);
      process.removeListener('unhandledRejection', onRejection);
      installed = false;
    },
    get installed() {
      return installed;
    },
    capture(err, origin = 'uncaughtException') {
      return record(err, origin, false).id;
    },
    aggregate(): CrashStatistics {
      const stats: CrashStatistics = { total, byFingerprint: Object.fromEntries(byFingerprint) };
      if (lastIncident) stats.lastIncident = { ...lastIncident, at: new Date(lastIncident.at) };
      return stats;
    },
  };
}
