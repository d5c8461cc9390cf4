import assert from 'node:assert/strict';
import { start, getTelemetry } from '../../../src/index';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';
import { buildDefaultRules } from '../../../src/rules/default-rules';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { buildDashboard, type Json } from '../../../exporters/grafana';
import { startTestPrometheus, type TestPrometheus } from '../../helpers/prometheus-server';

type Obj = { [k: string]: Json };

/**
 * Every panel query of the generated dashboard, evaluated by a real Prometheus that scrapes a
 * real pulseguard /metrics: no query may error. Queries over metrics this test process does not
 * emit (Telegram, pg, rate limits, http client/server, the websocket latency/error histograms,
 * notifications, and the event-loop delay gauges, which runtime-node reports only once its delay
 * histogram has samples) may return nothing; the ones it does emit (runtime, process, the websocket
 * counters and pool gauges it records below, target_info) must return data.
 */
describe('exporters/grafana dashboard queries against a real Prometheus', function () {
  this.timeout(60_000);
  let prom: TestPrometheus | undefined;

  after(async () => {
    await prom?.stop();
    await getTelemetry()?.shutdown();
    resetEvaluatorState();
  });

  it('evaluates every panel query without an error, with data for the metrics the process emits', async () => {
    const t = await start({
      service: { name: 'dashboard-queries' },
      exporters: { prometheus: { port: 0, host: '127.0.0.1' } },
      logging: { level: 'silent' },
      rules: { evaluationIntervalMs: 1000 },
    });
    const messages = pulseguardMetrics.counter({ name: 'websocket.messages', description: 'messages', unit: '{message}' })
      .series({ 'ws.role': 'server', 'network.io.direction': 'receive' });
    const active = pulseguardMetrics.upDownCounter({ name: 'websocket.connections.active', description: 'connections', unit: '{connection}' }).series({ 'ws.role': 'server' });
    active.add(3);
    const timer = setInterval(() => messages.add(10), 100);
    timer.unref();
    try {
      const target = new URL(t.metricsUrl as string).host;
      prom = await startTestPrometheus(target);
      await prom.waitForScrapes(4);
      const dash = buildDashboard(buildDefaultRules(t.config));
      const panels = (dash.panels as Json[]).map((p) => p as Obj).filter((p) => p.type === 'timeseries');
      const empty: string[] = [];
      const withData: string[] = [];
      for (const panel of panels) {
        for (const target of (panel.targets as Json[]).map((x) => x as Obj)) {
          const expr = String(target.expr).replace(/\$job/g, 'app').replace(/\$instance/g, '.*').replace(/\$__rate_interval/g, '10s');
          const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
          const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
          assert.equal(body.status, 'success', `${String(panel.title)}: ${expr}: ${body.error ?? ''}`);
          (body.data?.result.length ? withData : empty).push(String(panel.title));
        }
      }
      for (const title of ['Active server connections', 'Messages received per second', 'Memory of the limit', 'CPU of all cores', 'Event loop utilization', 'Heap used', 'Filesystem used']) {
        assert.ok(withData.includes(title), `${title} returned no data (empty: ${empty.join(', ')})`);
      }
      // The service and instance variables: target_info carries job and instance after the scrape.
      const ti = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('target_info{job=~"app"}')}`)).json()) as { data: { result: { metric: Record<string, string> }[] } };
      assert.equal(ti.data.result[0]?.metric.instance, target);
    } finally {
      clearInterval(timer);
    }
  });
});
