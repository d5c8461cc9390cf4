import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { CheckRunner } from '../../../src/health/index';

describe('CheckRunner', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  describe('#run', () => {
    it('returns the check value and reuses it from the cache until the TTL passes', async () => {
      let calls = 0;
      const runner = new CheckRunner(() => ++calls, { timeoutMs: 100, cacheTtlMs: 1000 });
      const first = await runner.run();
      assert.equal(first.value, 1);
      assert.equal(first.cached, false);
      await clock.tickAsync(999);
      const second = await runner.run();
      assert.equal(second.value, 1);
      assert.equal(second.cached, true);
      await clock.tickAsync(1);
      assert.equal((await runner.run()).value, 2);
      assert.equal(calls, 2);
    });

    it('shares one in-flight run between concurrent callers (single-flight)', async () => {
      let calls = 0;
      let release!: (v: string) => void;
      const runner = new CheckRunner(() => {
        calls++;
        return new Promise<string>((r) => (release = r));
      }, { timeoutMs: 1000, cacheTtlMs: 0 });
      const all = Promise.all(Array.from({ length: 50 }, () => runner.run()));
      release('ok');
      const outcomes = await all;
      assert.equal(calls, 1);
      assert.ok(outcomes.every((o) => o.value === 'ok'));
    });

    it('answers CHECK_TIMEOUT after timeoutMs and aborts the check signal when the check hangs', async () => {
      let signal: AbortSignal | undefined;
      const runner = new CheckRunner((s) => {
        signal = s;
        return new Promise<never>(() => {});
      }, { timeoutMs: 200, cacheTtlMs: 0 });
      const pending = runner.run();
      await clock.tickAsync(199);
      assert.equal(signal?.aborted, false);
      await clock.tickAsync(1);
      const o = await pending;
      assert.equal(o.errorCode, 'CHECK_TIMEOUT');
      assert.equal(o.value, undefined);
      assert.equal(signal?.aborted, true);
    });

    it('does not call a check again while its timed-out call is still pending (CHECK_STILL_RUNNING)', async () => {
      let calls = 0;
      let release!: () => void;
      const runner = new CheckRunner(() => {
        calls++;
        return calls === 1 ? new Promise<string>((r) => (release = () => r('late'))) : 'fresh';
      }, { timeoutMs: 100, cacheTtlMs: 0 });
      const timedOut = runner.run();
      await clock.tickAsync(100);
      assert.equal((await timedOut).errorCode, 'CHECK_TIMEOUT');
      await clock.tickAsync(50);
      const still = await runner.run();
      assert.equal(still.errorCode, 'CHECK_STILL_RUNNING');
      assert.match(still.error ?? '', /still pending after 50 ms/);
      assert.equal(calls, 1);
      release();
      await clock.tickAsync(0);
      assert.equal((await runner.run()).value, 'fresh');
      assert.equal(calls, 2);
    });

    it('turns a synchronous throw and a rejection into CHECK_THREW with the secret-free message', async () => {
      const sync = new CheckRunner(() => {
        throw new Error('connect failed postgres://app:hunter2@db/x');
      }, { timeoutMs: 100, cacheTtlMs: 0 });
      const o = await sync.run();
      assert.equal(o.errorCode, 'CHECK_THREW');
      assert.doesNotMatch(o.error ?? '', /hunter2/);
      const async = new CheckRunner(() => Promise.reject(new Error('boom')), { timeoutMs: 100, cacheTtlMs: 0 });
      const a = await async.run();
      assert.equal(a.errorCode, 'CHECK_THREW');
      assert.equal(a.error, 'Error: boom');
    });

    it('caches failures too, so a failing dependency is not hammered by every request', async () => {
      let calls = 0;
      const runner = new CheckRunner(() => {
        calls++;
        throw new Error('down');
      }, { timeoutMs: 100, cacheTtlMs: 5000 });
      for (let i = 0; i < 10; i++) await runner.run();
      assert.equal(calls, 1);
      runner.invalidate();
      await runner.run();
      assert.equal(calls, 2);
    });
  });
});
