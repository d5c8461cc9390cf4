import { strict as assert } from 'node:assert';
import { resolveConfig, validateConfig } from '../../../src/config/index';
import { buildDefaultRules } from '../../../src/rules/index';

// Issue 16: thresholds.pools.websocket and rateLimits meant the same caps (the guards took the
// lower of each pair). rateLimits is their one home now; the old knob is a clear error.
describe('WebSocket caps configuration', () => {
  it('rejects thresholds.pools.websocket, naming the replacement', () => {
    const r = validateConfig({ service: { name: 's' }, thresholds: { pools: { websocket: { maxTotalConnections: 500 } } } });
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : r.problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, 'thresholds.pools.websocket');
    assert.match(problems[0].message, /rateLimits\.websocketConnections\.perUser \/ \.total and rateLimits\.policies\['websocket\.newConnections'\]/);
  });

  it('builds the connection rules from rateLimits', () => {
    const config = resolveConfig({ service: { name: 's' },
      rateLimits: { websocketConnections: { total: 500 }, policies: { 'websocket.newConnections': { points: 10, durationMs: 30_000 } } } });
    const byName = new Map(buildDefaultRules(config, { cpuCount: 2 }).map((r) => [r.name, r]));
    assert.deepEqual([byName.get('WebSocketConnectionsAtLimit')?.warning, byName.get('WebSocketConnectionsAtLimit')?.critical], [450, 500]);
    assert.equal(byName.get('WebSocketConnectionRateHigh')?.critical, 20, '10 per 30 s is 20 per minute');
    const defaults = new Map(buildDefaultRules(resolveConfig({ service: { name: 'd' } }), { cpuCount: 2 }).map((r) => [r.name, r]));
    assert.equal(defaults.get('WebSocketConnectionsAtLimit')?.critical, 1000);
    assert.equal(defaults.get('WebSocketConnectionRateHigh')?.critical, 100);
  });
});
