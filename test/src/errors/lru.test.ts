import { strict as assert } from 'node:assert';
import { LruMap } from '../../../src/errors/index';

describe('LruMap', () => {
  it('evicts the least recently used entry beyond capacity and reports it', () => {
    const evicted: string[] = [];
    const lru = new LruMap<string, number>(2, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1); // touch a
    lru.set('c', 3);
    assert.deepEqual(evicted, ['b']);
    assert.equal(lru.size, 2);
    assert.equal(lru.evictions, 1);
  });

  it('does not change recency on peek', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.peek('a');
    lru.set('c', 3);
    assert.equal(lru.peek('a'), undefined);
  });

  it('rejects a non-positive capacity', () => {
    assert.throws(() => new LruMap(0), RangeError);
  });
});
