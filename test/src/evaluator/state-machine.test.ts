import { strict as assert } from 'node:assert';
import { advance, type AlertRecord, type Transition } from '../../../src/evaluator/state-machine';

function run(conditions: boolean[], forMs: number, keepFiringForMs = 0, stepMs = 15_000): (Transition | 'inactive' | 'pending' | 'firing')[] {
  let rec: AlertRecord | undefined;
  const out: (Transition | 'inactive' | 'pending' | 'firing')[] = [];
  conditions.forEach((active, i) => {
    const r = advance(rec, active, i * stepMs, { forMs, keepFiringForMs }, () => ({
      id: 'a', ruleName: 'A', severity: 'warning', groupLabels: {}, groupKey: 'A', state: 'pending', activeAt: 0, value: 0, threshold: 1, announced: false,
    }));
    rec = r.rec;
    out.push(r.transition ?? (rec ? rec.state : 'inactive'));
  });
  return out;
}

describe('advance (alert state machine)', () => {
  it('goes inactive -> pending -> firing after `for`, then resolves', () => {
    assert.deepEqual(run([true, true, true, true, false], 30_000), ['pending', 'pending', 'firing', 'firing', 'resolved']);
  });

  it('fires at once with for 0', () => {
    assert.deepEqual(run([true, false], 0), ['firing', 'resolved']);
  });

  it('restarts `for` on any evaluation below the level (flapping never fires)', () => {
    assert.deepEqual(run([true, true, false, true, true, false, true, true], 30_000),
      ['pending', 'pending', 'inactive', 'pending', 'pending', 'inactive', 'pending', 'pending']);
  });

  it('keeps firing for keepFiringFor after the condition clears, and re-arms when it returns', () => {
    assert.deepEqual(run([true, false, false, true, false, false, false], 0, 30_000),
      ['firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'resolved']);
  });
});
