import type { AreaReport } from './types';
import type { FleetReport } from './prometheus-report';

const f = (v: number | null, digits = 1): string => (v === null ? '-' : v.toFixed(digits));
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);

/** A fleet report as the plain-text table `pulseguard report` prints. */
export function formatFleetReport(r: FleetReport): string {
  const lines = [
    `pulseguard report: ${r.source}, ${r.from} .. ${r.to}, ${r.instances} instance(s)`,
    '',
    'area       p50 ms   p95 ms   p99 ms   avg ms   count     ops/s   errors    saturation',
  ];
  for (const [name, a] of Object.entries(r.areas) as [string, AreaReport][]) {
    const l = a.latency;
    lines.push(`${name.padEnd(10)} ${f(l.p50).padStart(6)} ${f(l.p95).padStart(8)} ${f(l.p99).padStart(8)} ${f(l.avg).padStart(8)} ${String(l.count).padStart(7)} ${f(a.throughput, 2).padStart(9)} ${pct(a.errorRate).padStart(8)} ${pct(a.saturation).padStart(13)}`);
  }
  lines.push('', `slow queries: ${r.queries.slowerThanQueryTime} over thresholds.database.queryTime, ${r.queries.slowerThan200ms} over 200 ms (bucket estimates)`);
  for (const [op, n] of Object.entries(r.queries.slowByOperation)) lines.push(`  ${op || '(unnamed)'}: ${n}`);
  if (r.memory) lines.push(`memory (fleet): heap used ${r.memory.heapUsed.toFixed(1)} MB of ${r.memory.heapTotal.toFixed(1)} MB`);
  return lines.join('\n');
}
