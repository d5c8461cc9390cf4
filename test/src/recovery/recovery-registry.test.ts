import { strict as assert } from 'node:assert';
import { RecoveryRegistry, createReconnectProcedure, createStateRecoveryProcedure, backoffDelay, retryWithBackoff } from '../../../src/recovery/index';
import { resolveConfig } from '../../../src/config/index';
import { createLogger } from '../../../src/logging/index';
import { pulseguardMetrics } from '../../../src/metrics/index';
import { LogCapture } from '../../helpers/log-capture';

function runsCount(procedure: string, outcome: string): number {
  const m = pulseguardMetrics.collectMetricData().find((d) => d.descriptor.name === 'pulseguard.recovery.runs');
  const p = m?.dataPoints.find((d) => d.attributes.procedure === procedure && d.attributes.outcome === outcome);
  return (p?.value as number | undefined) ?? 0;
}

describe('RecoveryRegistry', () => {
  let logs: LogCapture;
  let now: number;
  const registry = (recovery: Record<string, unknown> = {}) =>
    new RecoveryRegistry(resolveConfig({ service: { name: 't' }, recovery }).recovery, createLogger({ destination: logs }), () => now);
  beforeEach(() => {
    logs = new LogCapture();
    now = 1_000_000;
  });

  describe('#run', () => {
    it('runs a registered procedure with its steps recorded, and counts the outcome', async () => {
      const r = registry();
      const order: string[] = [];
      r.register('state.recover', createStateRecoveryProcedure({
        invalidateCache: () => { order.push('invalidate'); },
        reloadUserData: async () => { order.push('reload'); },
        syncTelegramState: () => { order.push('sync'); },
        verifySystemIntegrity: () => { order.push('verify'); },
      }));
      const before = runsCount('state.recover', 'succeeded');
      const run = await r.run('state.recover', { reason: 'StateDrift' });
      assert.equal(run.outcome, 'succeeded');
      assert.deepEqual(order, ['invalidate', 'reload', 'sync', 'verify']);
      assert.deepEqual(run.steps.map((s) => s.name), ['invalidateCache', 'reloadUserData', 'syncTelegramState', 'verifySystemIntegrity']);
      assert.equal(runsCount('state.recover', 'succeeded'), before + 1);
    });

    it('contains a procedure that throws (even synchronously) and reports the failed step', async () => {
      const r = registry();
      r.register('sync-throw', () => { throw new Error('kaput'); });
      r.register('step-throw', createStateRecoveryProcedure({ invalidateCache: () => {}, reloadUserData: () => { throw new Error('db gone'); } }));
      const a = await r.run('sync-throw');
      assert.equal(a.outcome, 'failed');
      assert.equal(a.error, 'kaput');
      const b = await r.run('step-throw');
      assert.equal(b.outcome, 'failed');
      assert.deepEqual(b.steps.map((s) => `${s.name}:${s.ok}`), ['invalidateCache:true', 'reloadUserData:false']);
    });

    it('times out a procedure that hangs and aborts its signal', async () => {
      const r = registry({ timeoutMs: 100 });
      let aborted = false;
      r.register('hang', (ctx) => new Promise<void>(() => { ctx.signal.addEventListener('abort', () => { aborted = true; }); }));
      const run = await r.run('hang');
      assert.equal(run.outcome, 'timeout');
      assert.equal(aborted, true);
      assert.match(run.error ?? '', /timed out after 100 ms/);
    });

    it('is single-flight per procedure and target', async () => {
      const r = registry();
      let calls = 0;
      const releases: Array<() => void> = [];
      r.register('slow', () => { calls++; return new Promise<void>((res) => { releases.push(res); }); });
      const a = r.run('slow', { target: 'conn-1' });
      const b = r.run('slow', { target: 'conn-1' });
      const c = r.run('slow', { target: 'conn-2' });
      await new Promise((res) => setImmediate(res));
      assert.equal(a, b);
      assert.notEqual(a, c);
      assert.equal(calls, 2);
      for (const release of releases) release();
      assert.equal((await a).outcome, 'succeeded');
      assert.equal((await c).outcome, 'succeeded');
    });

    it('caps a recovery storm at maxRunsPerHour per target, then allows runs again an hour later', async () => {
      const r = registry({ maxRunsPerHour: 3 });
      let calls = 0;
      r.register('reconnect', () => { calls++; });
      const outcomes: string[] = [];
      for (let i = 0; i < 50; i++) outcomes.push((await r.run('reconnect', { target: 'ws' })).outcome);
      assert.equal(calls, 3);
      assert.equal(outcomes.filter((o) => o === 'rate_limited').length, 47);
      now += 3_600_001;
      assert.equal((await r.run('reconnect', { target: 'ws' })).outcome, 'succeeded');
    });

    it('reports an unknown procedure name instead of throwing', async () => {
      const run = await registry().run('nope');
      assert.equal(run.outcome, 'unknown_procedure');
    });
  });

  describe('createReconnectProcedure', () => {
    it('closes, cleans up, reconnects with backoff until it works, verifies and restores', async () => {
      const r = registry();
      const seen: string[] = [];
      let attempts = 0;
      r.register('ws.reconnect', createReconnectProcedure({
        close: () => { seen.push('close'); },
        cleanup: () => { seen.push('cleanup'); },
        connect: () => { attempts++; if (attempts < 3) throw new Error('ECONNREFUSED'); seen.push('connect'); },
        verify: () => { seen.push('verify'); },
        restore: () => { seen.push('restore'); },
      }, { initialMs: 5, maxMs: 20, maxRetries: 5, jitter: 0 }));
      const run = await r.run('ws.reconnect');
      assert.equal(run.outcome, 'succeeded');
      assert.equal(attempts, 3);
      assert.deepEqual(seen, ['close', 'cleanup', 'connect', 'verify', 'restore']);
    });

    it('fails after maxRetries attempts with the last error', async () => {
      const r = registry();
      let attempts = 0;
      r.register('tg.reconnect', createReconnectProcedure({ connect: () => { attempts++; throw new Error(`refused ${attempts}`); } }, { initialMs: 1, maxMs: 2, maxRetries: 5, jitter: 0 }));
      const run = await r.run('tg.reconnect');
      assert.equal(run.outcome, 'failed');
      assert.equal(attempts, 5);
      assert.equal(run.error, 'refused 5');
    });
  });

  describe('backoff', () => {
    it('doubles from 1 s, capped, with jitter in band', () => {
      const o = { initialMs: 1000, maxMs: 8000, jitter: 0 };
      assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o)), [1000, 2000, 4000, 8000, 8000, 8000]);
      assert.equal(backoffDelay(1, { ...o, jitter: 0.2 }, () => 0), 800);
      assert.equal(backoffDelay(1, { ...o, jitter: 0.2 }, () => 1), 1200);
    });

    it('retryWithBackoff reports each attempt and its delay', async () => {
      const delays: Array<number | undefined> = [];
      await assert.rejects(retryWithBackoff(async () => { throw new Error('x'); }, {
        initialMs: 1000, maxMs: 30_000, maxRetries: 3, jitter: 0, sleep: async () => {}, onAttempt: (a) => delays.push(a.delayMs),
      }), /x/);
      assert.deepEqual(delays, [1000, 2000, undefined]);
    });
  });
});
