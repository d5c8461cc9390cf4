import { strict as assert } from 'node:assert';
import { KnownGroups, trimKnownGroups } from '../../../src/errors/known-groups';

describe('KnownGroups', () => {
  it('is new once per release; another release starts with nothing known', () => {
    const a = new KnownGroups('1.0.0', 10);
    assert.equal(a.firstSeen('f1'), true);
    assert.equal(a.firstSeen('f1'), false);
    assert.equal(new KnownGroups('1.0.0', 10, a.snapshot()).firstSeen('f1'), false);
    assert.equal(new KnownGroups('1.1.0', 10, a.snapshot()).firstSeen('f1'), true);
  });

  it('is bounded: the least recently seen fingerprint is forgotten first', () => {
    const k = new KnownGroups('1', 2);
    k.firstSeen('a');
    k.firstSeen('b');
    k.firstSeen('a'); // seen again: now the most recent
    k.firstSeen('c');
    assert.deepEqual(k.snapshot().fingerprints, ['a', 'c']);
    assert.deepEqual(new KnownGroups('1', 1, k.snapshot()).snapshot().fingerprints, ['c']);
  });

  it('trims the oldest fingerprints from the journal, in one log line', () => {
    const cut = trimKnownGroups({ release: '1', fingerprints: ['aaaa', 'bbbb', 'cccc'] }, 8);
    assert.deepEqual(cut?.state, { release: '1', fingerprints: ['cccc'] });
    assert.deepEqual(cut?.dropped, ['2 known error groups of release 1 (they may alert as new after a restart)']);
    assert.equal(trimKnownGroups({ release: '1', fingerprints: [] }, 8), undefined);
  });
});
