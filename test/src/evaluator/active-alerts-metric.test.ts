import { strict as assert } from 'node:assert';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { bindActiveAlertsMetric } from '../../../src/evaluator/active-alerts-metric';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';
import { resetEvaluatorState } from '../../../src/evaluator/evaluator';
import { harness } from './helpers';

async function activeGauge(): Promise<Record<string, number>> {
  const rm = (await createHotMetricProducer(pulseguardMetrics, resourceFromAttributes({})).collect()).resourceMetrics;
  const m = rm.scopeMetrics.flatMap((s) => s.metrics).find((x) => x.descriptor.name === 'pulseguard.alerts.active') as GaugeMetricData | undefined;
  const out: Record<string, number> = {};
  for (const p of m?.dataPoints ?? []) out[`${String(p.attributes.alertname)}/${String(p.attributes.severity)}`] = p.value;
  return out;
}

describe('pulseguard.alerts.active', () => {
  afterEach(() => {
    bindActiveAlertsMetric(undefined);
    resetEvaluatorState();
  });

  it('counts firing alerts by alertname and severity, leaves out inhibited warnings, and goes back to 0', async () => {
    const h = harness([{ name: 'GaugeHigh', metric: 'app.g', statistic: 'last', warning: 5, critical: 10, groupBy: ['k'] }]);
    bindActiveAlertsMetric(() => h.evaluator.active());
    const fam = h.registry.gauge({ name: 'app.g', description: '', unit: '1' });
    fam.series({ k: 'a' }).set(20);
    fam.series({ k: 'b' }).set(20);
    fam.series({ k: 'c' }).set(7);
    await h.step();
    let g = await activeGauge();
    assert.equal(g['GaugeHigh/critical'], 2);
    assert.equal(g['GaugeHigh/warning'], 1);
    fam.series({ k: 'a' }).set(0);
    fam.series({ k: 'b' }).set(0);
    fam.series({ k: 'c' }).set(0);
    await h.step();
    g = await activeGauge();
    assert.equal(g['GaugeHigh/critical'], 0);
    assert.equal(g['GaugeHigh/warning'], 0);
  });
});
