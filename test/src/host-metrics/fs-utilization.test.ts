import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { filesystemUtilization, registerFilesystemUtilization } from '../../../src/host-metrics/fs-utilization';
import { registerProcessMetrics } from '../../../src/host-metrics/process-metrics';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';

async function collected(name: string) {
  const rm = (await createHotMetricProducer(pulseguardMetrics, resourceFromAttributes({})).collect()).resourceMetrics;
  return rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
}

describe('filesystemUtilization', () => {
  it('matches what df reports for the same path', () => {
    const line = execFileSync('df', ['-P', '-k', '/'], { encoding: 'utf8' }).trim().split('\n')[1].split(/\s+/);
    const used = Number(line[2]);
    const avail = Number(line[3]);
    const v = filesystemUtilization('/') ?? -1;
    assert.ok(Math.abs(v - used / (used + avail)) < 0.01, `${v} vs df ${used / (used + avail)}`);
  });

  it('registers system.filesystem.utilization with the configured path as system.filesystem.mountpoint', async () => {
    registerFilesystemUtilization(['/', '/tmp']);
    const m = (await collected('system.filesystem.utilization')) as GaugeMetricData;
    assert.equal(m.descriptor.unit, '1');
    assert.deepEqual(m.dataPoints.map((p) => p.attributes['system.filesystem.mountpoint']), ['/', '/tmp']);
    for (const p of m.dataPoints) assert.ok(p.value > 0 && p.value < 1);
    registerFilesystemUtilization(['/does-not-exist']); // contained: no point, no throw
    assert.equal(await collected('system.filesystem.utilization'), undefined);
    registerFilesystemUtilization(['/']);
  });
});

describe('registerProcessMetrics', () => {
  it('reports process.cpu.time as a cumulative counter by cpu.mode and process.memory.utilization', async () => {
    registerProcessMetrics();
    registerProcessMetrics(); // idempotent
    const cpu = await collected('process.cpu.time');
    assert.ok(cpu && 'isMonotonic' in cpu && cpu.isMonotonic);
    assert.deepEqual(cpu.dataPoints.map((p) => p.attributes['cpu.mode']).sort(), ['system', 'user']);
    const mem = (await collected('process.memory.utilization')) as GaugeMetricData;
    assert.ok(mem.dataPoints[0].value > 0 && mem.dataPoints[0].value < 1);
  });
});
