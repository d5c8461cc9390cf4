import { strict as assert } from 'node:assert';
import { createErrorTracker } from '../../src/errors/index';

// Thrown from one place, as a service's retry loop would: only the variable parts differ.
function jobFailed(detail: string): Error {
  return new Error(`job failed at ${detail}`);
}

describe('regression: error grouping (issue 21, item 6)', () => {
  it('5,000 errors 7 ms apart with ISO-8601 timestamps form one group and evict nothing', () => {
    const tracker = createErrorTracker({ maxGroups: 1000 });
    const unrelated = tracker.track(new Error('unrelated failure'));
    assert.ok(unrelated);
    const t0 = Date.parse('2026-12-01T11:59:50.000Z');
    for (let i = 0; i < 5000; i++) tracker.track(jobFailed(new Date(t0 + i * 7).toISOString()));
    const groups = tracker.groups({ limit: 10 });
    assert.equal(groups.length, 2);
    assert.equal(groups[0].count, 5000);
    assert.equal(groups[0].message, 'job failed at <timestamp>');
    assert.ok(tracker.get(unrelated.fingerprint), 'the unrelated group was evicted');
    assert.equal(tracker.stats().evictions, 0);
  });

  it('prefixed ids and nanoids do not make a group per id', () => {
    const tracker = createErrorTracker();
    const ids = ['cus_NffrFeUfNV2Hib', 'cus_OaBcDeFgHiJkLm', 'cus_9QwErTyUiOp1As', 'V1StGXR8_Z5jdHi6B-myT', 'Uakgb_J5m9g-0JDMbcJqL'];
    const fingerprints = new Set(ids.map((id) => tracker.track(jobFailed(id))?.fingerprint));
    assert.equal(fingerprints.size, 1);
    assert.equal(tracker.groups()[0].message, 'job failed at <id>');
  });
});
