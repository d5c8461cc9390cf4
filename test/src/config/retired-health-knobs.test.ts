import { strict as assert } from 'node:assert';
import { validateConfig } from '../../../src/config/index';

// Issue 16: connection stability decided the WebSocket module's own status, a second judge beside
// the rules. The status is the rules' now, so the stability levels mean nothing: a clear error
// naming the rule that judges abrupt drops, not a knob silently ignored.
describe('retired health knobs', () => {
  it('rejects thresholds.websocket.stability, naming ConnectionDropsHigh and its knob', () => {
    const r = validateConfig({ service: { name: 's' }, thresholds: { websocket: { stability: { degraded: 0.8 } } } });
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : r.problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, 'thresholds.websocket.stability');
    assert.match(problems[0].message, /ConnectionDropsHigh/);
    assert.match(problems[0].message, /thresholds\.alertConfig\.connections/);
  });

  it('still accepts the levels the rules read (thresholds.websocket.errorRate)', () => {
    assert.equal(validateConfig({ service: { name: 's' }, thresholds: { websocket: { errorRate: { warning: 0.02, critical: 0.1 } } } }).ok, true);
  });
});
