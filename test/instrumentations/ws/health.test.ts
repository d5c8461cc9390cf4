import { strict as assert } from 'node:assert';
import { healthStatus, websocketHealthResponse } from '../../../instrumentations/ws/index';
import { WsHealthMonitor, type WsHealthCounts } from '../../../instrumentations/ws/health';

const T = { errorRate: { warning: 0.01, critical: 0.05 }, stability: { degraded: 0.9, unhealthy: 0.7 }, windowMs: 60_000 };

describe('healthStatus', () => {
  const cases: Array<[number, number, string]> = [
    [0, 1, 'healthy'],
    [0.01, 0.9, 'healthy'],            // at the levels is not above/below them
    [0.011, 1, 'degraded'],            // error rate above 1%
    [0, 0.89, 'degraded'],             // stability under 0.9
    [0.05, 0.7, 'degraded'],
    [0.051, 1, 'unhealthy'],           // error rate above 5%
    [0, 0.69, 'unhealthy'],            // stability under 0.7
  ];
  for (const [errorRate, stability, status] of cases) {
    it(`is ${status} at error rate ${errorRate} and stability ${stability}`, () => {
      assert.equal(healthStatus(errorRate, stability, T), status);
    });
  }
});

describe('WsHealthMonitor', () => {
  describe('#snapshot', () => {
    it('computes message rate, error rate, average latency and stability over the window', () => {
      let now = 0;
      const counts: WsHealthCounts = { messages: 1000, errors: 5, latencySum: 1, latencyCount: 100, closes: 10, abnormalCloses: 1 };
      const gauges = { clientCount: 8, activeUsers: 3 };
      const m = new WsHealthMonitor(T, () => ({ ...counts }), () => gauges, () => now);
      now = 10_000;
      counts.messages += 2000;
      counts.errors += 40;
      counts.latencySum += 0.5;
      counts.latencyCount += 100;
      counts.closes += 2;
      counts.abnormalCloses += 1;
      const s = m.snapshot();
      assert.equal(s.messageRate, 200);
      assert.equal(s.errorRate, 0.02);
      assert.equal(s.averageLatency, 5);
      assert.equal(s.connectionStability, 0.9);
      assert.equal(s.clientCount, 8);
      assert.equal(s.activeUsers, 3);
      assert.equal(s.status, 'degraded');
      assert.equal(s.timestamp, new Date(10_000).toISOString());
    });

    it('forgets samples older than the window', () => {
      let now = 0;
      const counts: WsHealthCounts = { messages: 0, errors: 0, latencySum: 0, latencyCount: 0, closes: 0, abnormalCloses: 0 };
      const m = new WsHealthMonitor(T, () => ({ ...counts }), () => ({ clientCount: 1, activeUsers: 0 }), () => now);
      counts.errors = 100; // a burst of errors long ago
      counts.messages = 100;
      for (let i = 1; i <= 7; i++) {
        now = i * 10_000;
        m.sample();
      }
      counts.messages += 600;
      const s = m.snapshot();
      assert.equal(s.errorRate, 0);
      assert.equal(s.status, 'healthy');
      assert.equal(s.messageRate, 600 / 50);
    });

    it('is healthy with no traffic at all', () => {
      const zero = { messages: 0, errors: 0, latencySum: 0, latencyCount: 0, closes: 0, abnormalCloses: 0 };
      const s = new WsHealthMonitor(T, () => zero, () => ({ clientCount: 0, activeUsers: 0 })).snapshot();
      assert.deepEqual([s.status, s.errorRate, s.connectionStability, s.averageLatency], ['healthy', 0, 1, 0]);
    });
  });
});

describe('websocketHealthResponse', () => {
  it('answers the spec\'s /health/websocket shape: 200 when healthy, 503 otherwise', () => {
    const base = { clientCount: 4, activeUsers: 2, messageRate: 10, errorRate: 0, averageLatency: 3, connectionStability: 1, timestamp: 't' };
    assert.deepEqual(websocketHealthResponse({ ...base, status: 'healthy' }), {
      statusCode: 200,
      body: { status: 'healthy', metrics: { connections: 4, messageRate: 10, errorRate: 0, averageLatency: 3 }, timestamp: 't' },
    });
    assert.equal(websocketHealthResponse({ ...base, status: 'degraded' }).statusCode, 503);
    assert.equal(websocketHealthResponse({ ...base, status: 'unhealthy' }).statusCode, 503);
  });
});
