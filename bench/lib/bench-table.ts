import { cpus, totalmem } from 'node:os';

/**
 * One benchmark result row: baseline (no pulseguard, or the reference implementation) beside
 * pulseguard, measured in the same process run. `higherIsBetter` says how to read the ratio.
 */
export interface BenchRow {
  suite: string;
  case: string;
  baseline: number;
  pulseguard: number;
  unit: string;
  /** pulseguard / baseline. */
  ratio: number;
  /** The target, e.g. ">= 0.95x" or "<= 1.0x" (a bare number means a minimum ratio). */
  target: string | number;
  verdict: 'pass' | 'fail' | 'info';
  /** Other columns worth printing (e.g. a third implementation). */
  notes?: string;
}

/** Builds a row and judges it against `min`/`max` bounds on the ratio. */
export function row(r: Omit<BenchRow, 'ratio' | 'verdict'> & { min?: number; max?: number }): BenchRow {
  const ratio = r.baseline === 0 ? NaN : r.pulseguard / r.baseline;
  const ok = (r.min === undefined || ratio >= r.min) && (r.max === undefined || ratio <= r.max);
  const { min: _min, max: _max, ...rest } = r;
  return { ...rest, ratio, verdict: r.min === undefined && r.max === undefined ? 'info' : ok ? 'pass' : 'fail' };
}

/** The machine line benchmarks print (the one pino's runner drops). */
export function systemLine(loadBefore?: number): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  // The load average before the run says whether other processes shared the CPUs (the run's own
  // load shows in any reading taken after it).
  const load = loadBefore === undefined ? '' : `, load average ${loadBefore.toFixed(1)} before the run`;
  return `Node ${process.version}, ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}/${process.arch}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${load}`;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

/** Renders rows as a Markdown table (also readable on a terminal). */
export function formatTable(rows: BenchRow[]): string {
  const head = '| suite | case | baseline | pulseguard | unit | ratio | target | verdict | notes |\n|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((r) => `| ${r.suite} | ${r.case} | ${fmt(r.baseline)} | ${fmt(r.pulseguard)} | ${r.unit} | ${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : 'n/a'} | ${r.target} | ${r.verdict} | ${r.notes ?? ''} |`);
  return [head, ...lines].join('\n');
}

/** Median of a sample. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
