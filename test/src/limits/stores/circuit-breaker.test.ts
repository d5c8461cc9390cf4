import { strict as assert } from 'node:assert';
import { CircuitBreaker, type BreakerState } from '../../../../src/limits/stores/circuit-breaker';

describe('CircuitBreaker', () => {
  function rig() {
    let t = 0;
    const changes: BreakerState[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => t, onChange: (s) => changes.push(s) });
    return { b, changes, tick: (ms: number) => void (t += ms) };
  }

  it('opens after N consecutive failures, not after N failures with a success between', () => {
    const { b, changes } = rig();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    assert.equal(b.state, 'closed');
    assert.equal(b.failing, true);
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.tryStore(), false);
    assert.deepEqual(changes, ['open']);
  });

  it('lets one probe through after openMs; its success closes, its failure reopens for another openMs', () => {
    const { b, changes, tick } = rig();
    for (let i = 0; i < 3; i++) b.failure();
    tick(999);
    assert.equal(b.tryStore(), false);
    tick(1);
    assert.equal(b.tryStore(), true, 'the probe');
    assert.equal(b.state, 'half_open');
    assert.equal(b.tryStore(), false, 'one probe at a time');
    b.failure();
    assert.equal(b.state, 'open');
    tick(500);
    assert.equal(b.tryStore(), false, 'reopened for a full openMs');
    tick(500);
    assert.equal(b.tryStore(), true);
    b.success();
    assert.equal(b.state, 'closed');
    assert.equal(b.failing, false);
    assert.equal(b.tryStore(), true);
    assert.deepEqual(changes, ['open', 'half_open', 'open', 'half_open', 'closed']);
  });
});
