import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { start, getTelemetry } from '../../../src/index';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';
import type { Alert, RuleStatus } from '../../../src/evaluator/types';
import type { PerformanceReport } from '../../../src/report/types';

const FIXTURE = join(__dirname, '..', '..', 'helpers', 'evaluator-e2e-app.js');

describe('evaluator end to end (real http instrumentation)', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
    resetEvaluatorState();
  });

  it('fires a rule on real http.server.request.duration data, exports pulseguard.alerts.active and reports the api area', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [FIXTURE], { timeout: 20_000 });
    const out = JSON.parse(stdout) as { fired: Alert[]; active: Alert[]; rules: RuleStatus[]; alertsActiveLines: string[]; report: PerformanceReport };
    const slow = out.fired.find((a) => a.alertname === 'SlowApi');
    assert.ok(slow, `fired: ${out.fired.map((a) => a.alertname).join(',')}`);
    assert.ok(slow.value > 100 && slow.value <= 250, String(slow.value));
    assert.match(slow.annotations.summary, /^p95 \d+(\.\d+)? ms$/);
    assert.ok(out.active.some((a) => a.alertname === 'SlowApi' && a.state === 'firing'));
    assert.equal(out.rules.find((r) => r.name === 'SlowApi')?.health, 'ok');
    assert.equal(out.rules.find((r) => r.name === 'TelegramFloodWaitsHigh')?.health, 'nodata');
    assert.ok(out.alertsActiveLines.some((l) => /^pulseguard_alerts_active\{alertname="SlowApi",severity="warning"[^}]*\} 1$/.test(l)), out.alertsActiveLines.join('\n'));
    const api = out.report.areas.api;
    assert.equal(api.latency.count, 5);
    assert.ok((api.latency.p95 ?? 0) > 100, JSON.stringify(api.latency));
    assert.equal(api.errorRate, 0.2);
    assert.ok(api.throughput > 0);
    assert.ok(api.points.length >= 1);
    assert.ok(out.report.memory && out.report.memory.rss > 0 && out.report.memory.heapUsed > 0);
  });

  it('fails start() with a ConfigError when a custom rule has a typo', async () => {
    await assert.rejects(start({
      service: { name: 'evaluator-typo' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      rules: { custom: [{ name: 'Typo', metric: 'http.server.request.durration', statistic: 'p95', warning: 1 }] },
    }), /did you mean "http\.server\.request\.duration"/);
    assert.equal(getTelemetry(), undefined);
  });
});

describe('telemetry.alerts with rules disabled', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('is inert and report() explains why it cannot run', async () => {
    const t = await start({ service: { name: 'no-rules' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' }, rules: { enabled: false } });
    let called = false;
    const off = t.alerts.on('firing', () => { called = true; });
    off();
    await t.alerts.evaluateNow();
    assert.deepEqual(t.alerts.active(), []);
    assert.deepEqual(t.alerts.rules(), []);
    assert.equal(called, false);
    assert.throws(() => t.report(), /needs the evaluator/);
  });
});
