import { strict as assert } from 'node:assert';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { WsHealthMonitor, type WsHealthCounts } from '../../../instrumentations/ws/health';
import { WsInstrumentation } from '../../../instrumentations/ws/instrumentation';
import type { WsInstrumentationConfig } from '../../../instrumentations/ws/types';

// The window; the status is not the monitor's (the rules judge it: test/src/sdk/judged-status.test.ts).
const T = 60_000;

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
      assert.equal('status' in s, false, 'figures only: the rules judge the status');
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
      assert.equal(s.messageRate, 600 / 50);
    });

    it('reads no errors, full stability and no latency with no traffic at all', () => {
      const zero = { messages: 0, errors: 0, latencySum: 0, latencyCount: 0, closes: 0, abnormalCloses: 0 };
      const s = new WsHealthMonitor(T, () => zero, () => ({ clientCount: 0, activeUsers: 0 })).snapshot();
      assert.deepEqual([s.errorRate, s.connectionStability, s.averageLatency, s.messageRate], [0, 1, 0, 0]);
    });
  });
});

describe('WsInstrumentation health option', () => {
  afterEach(() => diag.disable());

  it('warns that the retired `health` thresholds are ignored, naming the rules that judge instead', () => {
    const warned: string[] = [];
    diag.setLogger({ ...silentDiag(), warn: (...args: unknown[]) => warned.push(args.join(' ')) }, DiagLogLevel.WARN);
    new WsInstrumentation({ enabled: false, health: { errorRate: { warning: 0.5, critical: 0.9 } } } as WsInstrumentationConfig);
    assert.equal(warned.length, 1, warned.join('\n'));
    assert.match(warned[0], /WebSocketErrorRateHigh/);
    assert.match(warned[0], /ConnectionDropsHigh/);
    warned.length = 0;
    new WsInstrumentation({ enabled: false, healthWindowMs: 30_000 });
    assert.deepEqual(warned, []);
  });
});

function silentDiag(): DiagLogger {
  const none = (): void => {};
  return { error: none, warn: none, info: none, debug: none, verbose: none };
}
