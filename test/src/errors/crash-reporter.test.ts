import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { start, getTelemetry } from '../../../src/index';
import { createCrashReporter, createErrorTracker, newIncidentId, unhandledRejectionsMode, type CrashReporter } from '../../../src/errors/index';

type Listener = (...args: unknown[]) => void;

interface Harness {
  reporter: CrashReporter;
  lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }>;
  exits: number[];
  stderr: string[];
  flushes: number[];
}

function harness(opts: { flush?: (ms: number) => Promise<void>; mode?: 'throw' | 'warn' | 'strict' } = {}): Harness {
  const h: Omit<Harness, 'reporter'> = { lines: [], exits: [], stderr: [], flushes: [] };
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => h.lines.push({ level, obj, msg });
  const reporter = createCrashReporter({
    tracker: createErrorTracker(),
    logger: { fatal: log('fatal'), error: log('error'), warn: log('warn') },
    flush: opts.flush ?? (async (ms) => void h.flushes.push(ms)),
    flushTimeoutMs: 200,
    unhandledRejections: opts.mode ?? 'throw',
    exit: (code) => void h.exits.push(code),
    writeStderr: (t) => void h.stderr.push(t),
  });
  return { ...h, reporter };
}

/** Runs `fn` with mocha's own process listeners detached, so the reporter is the only one. */
async function alone(fn: () => Promise<void>): Promise<void> {
  const saved = { u: process.listeners('uncaughtException'), r: process.listeners('unhandledRejection') };
  process.removeAllListeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
  const exitCode = process.exitCode;
  try {
    await fn();
  } finally {
    process.exitCode = exitCode;
    for (const l of saved.u) process.on('uncaughtException', l);
    for (const l of saved.r) process.on('unhandledRejection', l as Listener);
  }
}

// Calls the listeners directly, as Node does on a crash, without crashing this process.
const emit = (event: string, ...args: unknown[]): boolean => (process.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('CrashReporter', () => {
  describe('#install / #uninstall', () => {
    it('adds one listener per event, idempotently, and removes them', () => {
      const { reporter } = harness();
      const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
      reporter.install();
      reporter.install();
      assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], [before[0] + 1, before[1] + 1]);
      assert.equal(reporter.installed, true);
      reporter.uninstall();
      reporter.uninstall();
      assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], before);
      assert.equal(reporter.installed, false);
    });
  });

  describe('uncaughtException', () => {
    it('logs fatal with an incident id, flushes with the deadline, prints the error and exits 1', async () => {
      const h = harness();
      await alone(async () => {
        h.reporter.install();
        try {
          emit('uncaughtException', new Error('kaboom'), 'uncaughtException');
          assert.equal(process.exitCode, 1, 'exit code set at once, in case the flush stalls');
          await settle();
        } finally {
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.flushes, [200]);
      assert.deepEqual(h.exits, [1]);
      const fatal = h.lines.find((l) => l.level === 'fatal');
      const id = String(fatal?.obj.incidentId);
      assert.match(id, /^inc_/);
      assert.match(h.stderr.join(''), new RegExp(`incident ${id}; telemetry flushed; exiting with code 1\\n[\\s\\S]*Error: kaboom`));
      assert.equal(h.reporter.aggregate().total, 1);
      assert.equal(h.reporter.aggregate().lastIncident?.id, id);
    });

    it('still exits 1 when the flush hangs past its deadline, and warns', async () => {
      const h = harness({ flush: () => new Promise(() => {}) });
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await alone(async () => {
        h.reporter.install();
        try {
          emit('uncaughtException', new Error('stuck'), 'uncaughtException');
          await clock.tickAsync(199);
          assert.deepEqual(h.exits, [], 'not before the deadline');
          await clock.tickAsync(1);
        } finally {
          clock.restore();
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.exits, [1]);
      assert.ok(h.lines.some((l) => l.level === 'warn' && /timed out/.test(l.msg)));
      assert.match(h.stderr.join(''), /telemetry flush timed out; exiting with code 1/);
    });

    it('does not exit when the app has its own handler: the app decides, as without pulseguard', async () => {
      const h = harness();
      const seen: unknown[] = [];
      const appHandler = (err: unknown) => void seen.push(err);
      await alone(async () => {
        h.reporter.install();
        process.on('uncaughtException', appHandler);
        try {
          emit('uncaughtException', new Error('app handles this'), 'uncaughtException');
          await settle();
        } finally {
          process.removeListener('uncaughtException', appHandler);
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.exits, []);
      assert.equal(seen.length, 1);
      assert.equal(h.lines[0]?.level, 'error');
    });

    it('hands a rejection to the app\'s uncaughtException handler in throw mode instead of exiting', async () => {
      const h = harness({ mode: 'throw' });
      const seen: unknown[][] = [];
      const appHandler = (...args: unknown[]) => void seen.push(args);
      await alone(async () => {
        h.reporter.install();
        process.on('uncaughtException', appHandler);
        try {
          emit('unhandledRejection', new Error('rejected'), Promise.resolve());
          await settle();
        } finally {
          process.removeListener('uncaughtException', appHandler);
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.exits, []);
      assert.equal((seen[0]?.[0] as Error).message, 'rejected');
      assert.equal(seen[0]?.[1], 'unhandledRejection');
    });
  });

  describe('exit', () => {
    it('still exits 1 when writing to stderr throws (EPIPE)', async () => {
      const exits: number[] = [];
      const reporter = createCrashReporter({
        tracker: createErrorTracker(),
        logger: { fatal: () => {}, error: () => {}, warn: () => {} },
        flush: async () => {},
        unhandledRejections: 'throw',
        exit: (code) => void exits.push(code),
        writeStderr: () => {
          throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        },
      });
      await alone(async () => {
        reporter.install();
        try {
          emit('uncaughtException', new Error('x'), 'uncaughtException');
          await settle();
        } finally {
          reporter.uninstall();
        }
      });
      assert.deepEqual(exits, [1]);
    });
  });

  describe('unhandledRejection', () => {
    it('in throw mode, crashes like an uncaught exception', async () => {
      const h = harness({ mode: 'throw' });
      await alone(async () => {
        h.reporter.install();
        try {
          emit('unhandledRejection', 'just a string', Promise.resolve());
          await settle();
        } finally {
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.exits, [1]);
      assert.match(h.stderr.join(''), /UnhandledPromiseRejection[\s\S]*'just a string'/);
    });

    it('in warn mode, records it and does not exit', async () => {
      const h = harness({ mode: 'warn' });
      await alone(async () => {
        h.reporter.install();
        try {
          emit('unhandledRejection', new Error('tolerated'), Promise.resolve());
          await settle();
        } finally {
          h.reporter.uninstall();
        }
      });
      assert.deepEqual(h.exits, []);
      assert.equal(h.lines[0]?.level, 'error');
      assert.equal(h.reporter.aggregate().total, 1);
    });

    it('in strict mode, counts a rejection once when Node delivers it to both listeners', async () => {
      const h = harness({ mode: 'strict' });
      const seen: unknown[] = [];
      const appHandler = (err: unknown) => void seen.push(err);
      const reason = new Error('strict rejection');
      await alone(async () => {
        h.reporter.install();
        process.on('uncaughtException', appHandler);
        try {
          // Node's strict order: first as an uncaught exception; handled there, then unhandledRejection.
          emit('uncaughtException', reason, 'unhandledRejection');
          emit('unhandledRejection', reason, Promise.resolve());
          await settle();
        } finally {
          process.removeListener('uncaughtException', appHandler);
          h.reporter.uninstall();
        }
      });
      assert.equal(h.reporter.aggregate().total, 1);
      assert.equal(h.reporter.aggregate().lastIncident?.origin, 'unhandledRejection');
      assert.deepEqual(h.exits, []);
    });
  });

  describe('#aggregate', () => {
    it('counts crashes by fingerprint', () => {
      const { reporter } = harness();
      const make = () => new Error('same place');
      reporter.capture(make());
      reporter.capture(make());
      reporter.capture(new TypeError('elsewhere'));
      const stats = reporter.aggregate();
      assert.equal(stats.total, 3);
      assert.deepEqual(Object.values(stats.byFingerprint).sort(), [1, 2]);
    });

    it('captures a hostile value without throwing', () => {
      const { reporter } = harness();
      const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
      assert.match(reporter.capture(hostile), /^inc_/);
    });
  });
});

describe('start() with errors.captureCrashes', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('installs the crash reporter and removes it on shutdown', async () => {
    const before = process.listenerCount('uncaughtException');
    const t = await start({ service: { name: 'crash-wiring' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' }, errors: { captureCrashes: true } });
    assert.equal(t.crashReporter?.installed, true);
    assert.equal(process.listenerCount('uncaughtException'), before + 1);
    await t.shutdown();
    assert.equal(t.crashReporter?.installed, false);
    assert.equal(process.listenerCount('uncaughtException'), before);
  });

  it('installs nothing when off (the default)', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const t = await start({ service: { name: 'crash-off' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    assert.equal(t.crashReporter, undefined);
    assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], before);
  });
});

describe('newIncidentId', () => {
  it('is inc_ + UTC time + 8 random hex characters, and unique', () => {
    const id = newIncidentId(Date.UTC(2026, 10, 28, 11, 14, 18));
    assert.match(id, /^inc_20261128T111418Z_[0-9a-f]{8}$/);
    assert.notEqual(newIncidentId(), newIncidentId());
  });
});

describe('unhandledRejectionsMode', () => {
  it('defaults to throw and reads execArgv, then NODE_OPTIONS', () => {
    assert.equal(unhandledRejectionsMode([], ''), 'throw');
    assert.equal(unhandledRejectionsMode(['--unhandled-rejections=warn'], ''), 'warn');
    assert.equal(unhandledRejectionsMode(['--unhandled-rejections', 'strict'], ''), 'strict');
    assert.equal(unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=none'), 'none');
    assert.equal(unhandledRejectionsMode(['--unhandled-rejections=bogus'], ''), 'throw');
  });
});
