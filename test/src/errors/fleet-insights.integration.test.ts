import { strict as assert } from 'node:assert';
import { fleetErrorInsights } from '../../../src/errors/fleet-insights';
import { run } from '../../../src/cli/commands/report';
import { startTestPrometheus, type TestPrometheus } from '../../helpers/prometheus-server';
import { errorClassesExposition, startScrapeTarget, type ScrapeTarget } from '../../helpers/scrape-target';

describe('fleetErrorInsights (real Prometheus)', function () {
  this.timeout(60_000);
  let target: ScrapeTarget;
  let prom: TestPrometheus;

  before(async () => {
    // network: 2 per scrape from the start (steady); timeout: none for 9 scrapes, then 5 per scrape (new and rising).
    target = await startScrapeTarget((n) => errorClassesExposition(n, 9));
    prom = await startTestPrometheus(target.address);
    await prom.waitForScrapes(13, 30_000);
  });

  after(async () => {
    await prom?.stop();
    await target?.close();
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
