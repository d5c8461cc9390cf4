import { strict as assert } from 'node:assert';
import { MeterProvider, type ResourceMetrics, type GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { InspectionReader } from '../../../src/metrics/inspection-reader';
import { IsolatedRuntimeNodeInstrumentation, runAsEvaluatorCollection } from '../../../src/host-metrics/collection-isolation';

function gauge(rm: ResourceMetrics, name: string): number | undefined {
  for (const s of rm.scopeMetrics) for (const m of s.metrics) if (m.descriptor.name === name) return (m as GaugeMetricData).dataPoints[0]?.value;
  return undefined;
}

/** Blocks the event loop for `ms` in its own macrotask, then lets it go idle for `idleMs`. */
async function busyThenIdle(ms: number, idleMs: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(() => {
    const end = Date.now() + ms;
    while (Date.now() < end) { /* block the event loop on purpose */ }
    resolve();
  }, 5));
  await new Promise((r) => setTimeout(r, idleMs));
}

/** Collects r1, blocks the loop, lets r2 collect, collects r1 again: what does r1 see? */
async function scenario(instr: RuntimeNodeInstrumentation, asEvaluator: boolean) {
  const main = new InspectionReader();
  const second = new InspectionReader();
  const provider = new MeterProvider({ readers: [main, second] });
  instr.setMeterProvider(provider);
  instr.enable();
  try {
    await new Promise((r) => setTimeout(r, 50));
    const before = (await main.collect()).resourceMetrics;
    await busyThenIdle(500, 30);
    const collectSecond = () => second.collect();
    const seenBySecond = (await (asEvaluator ? runAsEvaluatorCollection(collectSecond) : collectSecond())).resourceMetrics;
    await new Promise((r) => setTimeout(r, 100));
    const { resourceMetrics } = await main.collect();
    return { before, main: resourceMetrics, second: seenBySecond };
  } finally {
    instr.disable();
    await provider.shutdown();
  }
}

describe('IsolatedRuntimeNodeInstrumentation', () => {
  it('control: a plain second reader steals the event-loop utilization window from the first', async () => {
    const { main } = await scenario(new RuntimeNodeInstrumentation({ monitoringPrecision: 10 }), false);
    const elu = gauge(main, 'nodejs.eventloop.utilization') ?? 0;
    assert.ok(elu < 0.5, `the first reader should have lost the busy window, saw ${elu}`);
  });

  it('keeps the first reader\'s event-loop utilization and delay windows when the evaluator collects in between', async () => {
    const { before, main, second } = await scenario(new IsolatedRuntimeNodeInstrumentation({ monitoringPrecision: 10 }), true);
    const elu = gauge(main, 'nodejs.eventloop.utilization') ?? 0;
    assert.ok(elu > 0.5, `utilization over the busy window should be high, saw ${elu}`);
    const maxDelay = gauge(main, 'nodejs.eventloop.delay.max') ?? 0;
    assert.ok(maxDelay >= 0.4, `the 500 ms block should show in delay.max, saw ${maxDelay}`);
    // The evaluator saw the last values the first reader got (a replay), not a fresh window.
    assert.equal(gauge(second, 'nodejs.eventloop.utilization'), gauge(before, 'nodejs.eventloop.utilization'));
  });
});
