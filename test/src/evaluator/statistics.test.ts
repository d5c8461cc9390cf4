import { strict as assert } from 'node:assert';
import { histogramQuantile, histogramMax, quantileOfValues, crosses } from '../../../src/evaluator/statistics';

describe('statistics', () => {
  describe('#histogramQuantile', () => {
    const bounds = [0.1, 0.5, 1];
    it('interpolates linearly inside the bucket, the first bucket starting at 0', () => {
      // 10 in (0,0.1], 10 in (0.1,0.5]: p50 = rank 10 -> top of bucket 0 = 0.1; p75 = rank 15 -> 0.1 + 0.4*0.5
      assert.equal(histogramQuantile(0.5, bounds, [10, 10, 0, 0]), 0.1);
      assert.ok(Math.abs((histogramQuantile(0.75, bounds, [10, 10, 0, 0]) ?? 0) - 0.3) < 1e-12);
    });
    it('returns the highest finite boundary for a rank in the +Inf bucket, and undefined without observations', () => {
      assert.equal(histogramQuantile(0.99, bounds, [0, 0, 0, 5]), 1);
      assert.equal(histogramQuantile(0.5, bounds, [0, 0, 0, 0]), undefined);
    });
  });

  describe('#histogramMax', () => {
    it('uses the cumulative max when it grew in the window, else the highest non-empty bucket bound', () => {
      assert.equal(histogramMax([0.1, 0.5, 1], [1, 0, 1, 0], 3, true), 3);
      assert.equal(histogramMax([0.1, 0.5, 1], [1, 0, 1, 0], 3, false), 1);
      assert.equal(histogramMax([0.1, 0.5, 1], [1, 0, 0, 0], 0.05, false), 0.05);
    });
  });

  it('quantileOfValues and crosses follow PromQL', () => {
    assert.equal(quantileOfValues(0.5, [1, 3, 2, 4]), 2.5);
    assert.equal(crosses(5, '>', 5), false);
    assert.equal(crosses(5, '>=', 5), true);
    assert.equal(crosses(1, '<', 2), true);
    assert.equal(crosses(2, '<=', 2), true);
  });
});
