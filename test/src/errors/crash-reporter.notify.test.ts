import { strict as assert } from 'node:assert';
import { createCrashReporter, createErrorTracker, type CrashIncident } from '../../../src/errors/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

type Listener = (...args: unknown[]) => void;
const emit = (event: string, ...args: unknown[]): boolean => (process.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);

/** Crashes a reporter once with mocha's own process listeners detached; resolves after the exit call. */
async function crashOnce(opts: {
  notify?: (i: CrashIncident, ms: number) => Promise<boolean>;
  onUndelivered?: (i: CrashIncident) => void;
  beforeFlush?: (i: CrashIncident) => void;
}): Promise<{ lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }>; stderr: string; exits: number[] }> {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  let stderr = '';
  const exits: number[] = [];
  let exited: () => void = () => {};
  const done = new Promise<void>((resolve) => (exited = resolve));
  const reporter = createCrashReporter({
    tracker: createErrorTracker(),
    logger: { fatal: log('fatal'), error: log('error'), warn: log('warn') },
    flush: async () => {},
    flushTimeoutMs: 100,
    unhandledRejections: 'throw',
    exit: (code) => {
      exits.push(code);
      exited();
    },
    writeStderr: (t) => void (stderr += t),
    ...opts,
  });
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const exitCode = process.exitCode;
  try {
    reporter.install();
    emit('uncaughtException', new Error('kaboom for +44 7911 123456'), 'uncaughtException');
    await done;
  } finally {
    reporter.uninstall();
    process.exitCode = exitCode;
    for (const l of saved) process.on('uncaughtException', l as Listener);
  }
  return { lines, stderr, exits };
}

describe('CrashReporter', () => {
  describe('crash alert (notify)', () => {
    // Contained faults are expected here; keep them out of the test output.
    before(() => setInternalErrorLogger({ warn: () => {} }));
    after(() => setInternalErrorLogger(undefined));

    it('sends the incident (redacted) through notify with the flush deadline and says so on stderr', async () => {
      const seen: Array<{ incident: CrashIncident; ms: number }> = [];
      const r = await crashOnce({ notify: async (incident, ms) => (seen.push({ incident, ms }), true) });
      assert.equal(seen.length, 1);
      assert.equal(seen[0].ms, 100);
      const fatal = r.lines.find((l) => l.level === 'fatal');
      assert.equal(seen[0].incident.id, fatal?.obj.incidentId);
      assert.equal(seen[0].incident.message, 'kaboom for [REDACTED]');
      assert.equal(seen[0].incident.origin, 'uncaughtException');
      assert.match(r.stderr, /telemetry flushed; crash alert sent; exiting with code 1/);
      assert.deepEqual(r.exits, [1]);
    });

    it('logs when the deadline passes before the alert is delivered, hands it to onUndelivered, and still exits', async () => {
      const undelivered: CrashIncident[] = [];
      const r = await crashOnce({ notify: () => new Promise<boolean>(() => {}), onUndelivered: (i) => void undelivered.push(i) });
      const warn = r.lines.find((l) => l.level === 'warn' && /crash alert not delivered/.test(l.msg));
      assert.ok(warn, JSON.stringify(r.lines));
      assert.match(warn.msg, /the deadline passed/);
      assert.equal(undelivered.length, 1);
      assert.equal(undelivered[0].id, warn.obj.incidentId);
      assert.match(r.stderr, /crash alert not delivered; exiting with code 1/);
      assert.deepEqual(r.exits, [1]);
    });

    it('reports a channel that did not take the alert, and contains throwing hooks', async () => {
      const before = internalErrorCount('crash-reporter');
      const r = await crashOnce({
        notify: async () => false,
        onUndelivered: () => {
          throw new Error('journal broken');
        },
        beforeFlush: () => {
          throw new Error('span trail broken');
        },
      });
      assert.ok(r.lines.some((l) => l.level === 'warn' && /a channel did not accept it/.test(l.msg)));
      assert.equal(internalErrorCount('crash-reporter'), before + 2);
      assert.deepEqual(r.exits, [1]);
    });
  });
});
