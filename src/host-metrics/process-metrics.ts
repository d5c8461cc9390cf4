import { totalmem } from 'node:os';
import { pulseguardMetrics } from '../metrics/registry';
import { ATTR_CPU_MODE, METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION } from './semconv';

const REGISTERED = Symbol.for('pulseguard.evaluator.processMetrics');
type GlobalWithFlag = typeof globalThis & { [REGISTERED]?: true };

/** Memory the process may use: the cgroup limit when there is one, else the machine's RAM. */
export function memoryLimit(): number {
  // process.constrainedMemory() is Node >= 19.6; it returns 0 (or a huge number) without a limit.
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : undefined;
  const total = totalmem();
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}

/**
 * Registers `process.cpu.time` (cumulative CPU seconds by cpu.mode) and
 * `process.memory.utilization` (RSS / memory limit). runtime-node 0.36.1 has neither, and a CPU
 * *utilization* gauge would be a stateful callback (delta since the previous read) that two
 * readers would steal from each other; a cumulative counter gives every reader its own rate.
 */
export function registerProcessMetrics(): void {
  const g = globalThis as GlobalWithFlag;
  if (g[REGISTERED]) return;
  g[REGISTERED] = true;
  const user = { [ATTR_CPU_MODE]: 'user' };
  const system = { [ATTR_CPU_MODE]: 'system' };
  pulseguardMetrics.observe({ name: METRIC_PROCESS_CPU_TIME, description: 'CPU seconds used by this process.', unit: 's' }, () => {
    const u = process.cpuUsage();
    return [{ value: u.user / 1e6, attributes: user }, { value: u.system / 1e6, attributes: system }];
  }, 'counter');
  pulseguardMetrics.observe({ name: METRIC_PROCESS_MEMORY_UTILIZATION, description: 'Resident set size over the memory available to the process.', unit: '1' },
    () => [{ value: process.memoryUsage.rss() / memoryLimit(), attributes: {} }]);
}
