import { strict as assert } from 'node:assert';
import { RecoveryRegistry } from '../../src/recovery/index';
import { resolveConfig } from '../../src/config/index';
import { createLogger } from '../../src/logging/index';
import { LogCapture } from '../helpers/log-capture';

// Issue 18 item 4: after a timeout the registry forgot the run while the procedure still ran;
// a procedure ignoring its abort signal reached 4 concurrent runs for one target.
describe('RecoveryRegistry#run (regression: single-flight after a timeout)', () => {
  it('starts no second run of a procedure that timed out and still runs, and allows one after it settles', async () => {
    const r = new RecoveryRegistry(resolveConfig({ service: { name: 't' }, recovery: { timeoutMs: 100 } }).recovery, createLogger({ destination: new LogCapture() }));
    let running = 0;
    let maxRunning = 0;
    const releases: Array<() => void> = [];
    r.register('stubborn', () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      return new Promise<void>((res) => { releases.push(() => { running--; res(); }); });
    });
    assert.equal((await r.run('stubborn', { target: 't1' })).outcome, 'timeout');
    const again = await Promise.all([r.run('stubborn', { target: 't1' }), r.run('stubborn', { target: 't1' })]);
    assert.deepEqual(again.map((x) => x.outcome), ['still_running', 'still_running']);
    assert.equal(maxRunning, 1);
    for (const release of releases.splice(0)) release();
    await new Promise((res) => setImmediate(res));
    const after = r.run('stubborn', { target: 't1' });
    await new Promise((res) => setImmediate(res));
    assert.equal(running, 1, 'a new run starts once the old one settled');
    for (const release of releases.splice(0)) release();
    assert.equal((await after).outcome, 'succeeded');
  });
});
