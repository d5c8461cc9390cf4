import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fleetErrorInsights } from '../../../src/errors/fleet-insights';
import { run } from '../../../src/cli/commands/report';
import { startTestPrometheus, type TestPrometheus } from '../../helpers/prometheus-server';

describe('fleetErrorInsights (real Prometheus)', function () {
  this.timeout(60_000);
  let target: Server;
  let prom: TestPrometheus;

  before(async () => {
    let n = 0;
    // network: 2 per scrape from the start (steady); timeout: none for 9 scrapes, then 5 per scrape (new and rising).
    target = createServer((_, res) => {
      n++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end([
        '# TYPE pulseguard_errors_tracked_total counter',
        `pulseguard_errors_tracked_total{error_class="network"} ${2 * n}`,
        `pulseguard_errors_tracked_total{error_class="timeout"} ${Math.max(0, n - 9) * 5}`,
        `pulseguard_errors_tracked_total{error_class="auth"} 0`,
        '',
      ].join('\n'));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    prom = await startTestPrometheus(`127.0.0.1:${(target.address() as AddressInfo).port}`);
    await prom.waitForScrapes(13, 30_000);
  });

  after(async () => {
    await prom?.stop();
    target?.close();
  });

  it('lists top, new and rising error classes over the period', async () => {
    // 6 s, well inside the scraped range: both halves are full of samples (no extrapolation at the edge).
    const i = await fleetErrorInsights({ url: prom.url, period: '6s' });
    assert.deepEqual(i.topClasses.map((c) => c.errorClass).sort(), ['network', 'timeout']);
    assert.deepEqual(i.risingClasses.map((c) => c.errorClass), ['timeout']);
    assert.ok(!i.topClasses.some((c) => c.errorClass === 'auth'), 'a class with no errors is not listed');
    const network = i.topClasses.find((c) => c.errorClass === 'network');
    assert.ok(network && network.previousHalf > 0 && network.lastHalf > 0);
    assert.ok(i.newClasses.every((c) => c.errorClass === 'timeout'), JSON.stringify(i.newClasses));
  });

  it('is part of `pulseguard report --prometheus URL` (text and --json)', async () => {
    const text: string[] = [];
    assert.equal(await run(['--prometheus', prom.url, '--period', '1m', '--resolution', '10s'], (s) => text.push(s), () => {}), 0);
    assert.match(text.join('\n'), /errors by class \(pulseguard\.errors\.tracked\):\n\s+(network|timeout)/);
    const json: string[] = [];
    assert.equal(await run(['--prometheus', prom.url, '--period', '1m', '--resolution', '10s', '--json'], (s) => json.push(s), () => {}), 0);
    const parsed = JSON.parse(json.join('\n')) as { errors: { topClasses: Array<{ errorClass: string }> } };
    assert.ok(parsed.errors.topClasses.some((c) => c.errorClass === 'timeout'));
  });
});
