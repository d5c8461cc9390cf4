import { strict as assert } from 'node:assert';
import { NameLimiter } from '../../../src/apm/name-limiter';

describe('NameLimiter', () => {
  it('passes the first max names, folds the rest into _other and warns once', () => {
    const warnings: string[] = [];
    const l = new NameLimiter('transaction', 2, (_o, m) => void warnings.push(m));
    assert.deepEqual(['a', 'b', 'c', 'a', 'd'].map((n) => l.resolve(n)), ['a', 'b', '_other', 'a', '_other']);
    assert.equal(warnings.length, 1);
  });

  it('bounds a non-string or empty name and cuts long names', () => {
    const l = new NameLimiter('operation', 10, () => {});
    assert.equal(l.resolve(undefined), '_other');
    assert.equal(l.resolve(''), '_other');
    assert.equal(l.resolve('x'.repeat(500)).length, 128);
  });
});
