import { strict as assert } from 'node:assert';
import { metrics } from '@opentelemetry/api';
import { start, getTelemetry } from '../../../src/index';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';

/** Blocks the event loop for `ms` in its own macrotask, then lets it go idle for `idleMs`. */
async function busyThenIdle(ms: number, idleMs: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(() => {
    const end = Date.now() + ms;
    while (Date.now() < end) { /* block the event loop on purpose */ }
    resolve();
  }, 5));
  await new Promise((r) => setTimeout(r, idleMs));
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return res.text();
}

/** Lines of the app's own deterministic instruments, in exposition order. */
function appLines(body: string): string[] {
  return body.split('\n').filter((l) => /^(# (HELP|TYPE) )?det_/.test(l));
}

function value(body: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)`, 'm').exec(body);
  assert.ok(m, `${name} missing from /metrics`);
  return Number(m[1]);
}

async function runWith(rulesEnabled: boolean): Promise<{ lines: string[]; elu: number; delayMax: number }> {
  const t = await start({
    service: { name: `metrics-unchanged-${rulesEnabled}` },
    exporters: { prometheus: { port: 0, host: '127.0.0.1' } },
    logging: { level: 'silent' },
    rules: { enabled: rulesEnabled, evaluationIntervalMs: 60_000 },
    instrumentations: { runtime: { monitoringPrecisionMs: 10 } },
  });
  try {
    const meter = metrics.getMeter('det');
    const c = meter.createCounter('det.jobs', { description: 'jobs', unit: '{job}' });
    const h = meter.createHistogram('det.duration', { description: 'duration', unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } });
    let calls = 0;
    meter.createObservableGauge('det.level', { description: 'level' }).addCallback((r) => r.observe(42, { k: 'v' }));
    // A stateful callback of the application's own (counts its calls) is NOT isolated: documented.
    meter.createObservableCounter('det.static', { description: 'static' }).addCallback((r) => {
      calls++;
      r.observe(7);
    });
    c.add(3, { kind: 'a' });
    h.record(0.05);
    h.record(0.5);
    await new Promise((r) => setTimeout(r, 50));
    const url = t.metricsUrl as string;
    await scrape(url);
    await busyThenIdle(500, 30);
    // The evaluator collects through its own reader in between two scrapes.
    await t.alerts.evaluateNow();
    await t.alerts.evaluateNow();
    await new Promise((r) => setTimeout(r, 100));
    const body = await scrape(url);
    assert.ok(calls >= 2);
    return { lines: appLines(body), elu: value(body, 'nodejs_eventloop_utilization'), delayMax: value(body, 'nodejs_eventloop_delay_max') };
  } finally {
    await t.shutdown();
  }
}

describe('/metrics with the evaluator on and off', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
    resetEvaluatorState();
  });

  it('reports exactly the same app metric exposition, and the evaluator does not steal event-loop windows', async () => {
    const off = await runWith(false);
    const on = await runWith(true);
    assert.ok(off.lines.length >= 8, off.lines.join('\n'));
    assert.deepEqual(on.lines, off.lines);
    // Both runs blocked the loop for 500 ms between scrapes: both must show it.
    assert.ok(off.elu > 0.5, `off: ${off.elu}`);
    assert.ok(on.elu > 0.5, `on: ${on.elu}`);
    assert.ok(on.delayMax >= 0.4 && off.delayMax >= 0.4, `delay max on ${on.delayMax} off ${off.delayMax}`);
  });
});
