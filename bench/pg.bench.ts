/**
 * pg SELECT 1 throughput, p99 and CPU per query: raw pg, @opentelemetry/instrumentation-pg alone,
 * pulseguard metrics only, and pulseguard with spans on, in one run.
 *
 *   node dist/bench/pg.bench.js                 # default: 12 slices of 500 ms per case (~40 s)
 *   PG_BENCH_SLICES=30 PG_BENCH_SLICE_MS=500 node dist/bench/pg.bench.js
 *
 * Method (why): the machines here are shared (load averages of 15+ on 2 cores), so cases run
 * one after another drift by more than the effect measured. Each comparison therefore runs in
 * ONE process on separate, independently loaded copies of pg (require.cache is cleared between
 * copies, so each copy has its own Client/Pool prototypes and its own patches), and the copies
 * take turns in short slices (ABBA order) so load changes hit every case equally.
 *   - process "metrics": raw pg vs pulseguard metrics (no context manager, none is needed);
 *   - process "spans": raw pg vs instrumentation-pg alone vs pulseguard metrics + spans, all with
 *     the AsyncLocalStorage context manager NodeSDK installs, spans recorded into a
 *     BatchSpanProcessor with a discarding exporter, metrics into an SDK MeterProvider.
 * Fairness: one pool (max 10) per copy, 50 concurrent callers, a warm-up slice per copy.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ExportResult } from '@opentelemetry/core';
import type { Pool as PgPool } from 'pg';
// These modules do not load pg.
import { PulseguardPgInstrumentation } from '../instrumentations/pg/instrumentation';
import { PgSpanDelegate } from '../instrumentations/pg/span-delegate';
import { InspectionReader } from '../src/metrics/inspection-reader';

import type { BenchRow } from './lib/bench-table';

export type { BenchRow };

type Group = 'metrics' | 'spans';
interface CaseStats {
  ops: number;
  p99Ms: number;
  cpuUsPerQuery: number;
  queries: number;
}

const PG_CONFIG = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', max: 10 };
const CALLERS = 50;

/** Loads a fresh, independent copy of pg (and pg-pool). */
function freshPg(): typeof import('pg') {
  for (const key of Object.keys(require.cache)) {
    if (/[\\/]node_modules[\\/](pg|pg-pool)[\\/]/.test(key)) delete require.cache[key];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy per case is the point
  return require('pg') as typeof import('pg');
}

function loadedPgPool(): unknown {
  const key = Object.keys(require.cache).find((k) => /[\\/]node_modules[\\/]pg-pool[\\/]index\.js$/.test(k));
  return key ? require.cache[key]?.exports : undefined;
}

/** The copies of pg one group compares, each already patched as its case needs. */
function setupGroup(group: Group): Array<{ name: string; pool: PgPool }> {
  const raw = freshPg();
  const out = [{ name: 'raw', pool: new raw.Pool(PG_CONFIG) }];
  if (group === 'metrics') {
    // PG_BENCH_AA=1: an A/A run (both copies raw) to see the method's own bias and noise.
    if (process.env.PG_BENCH_AA !== '1') new PulseguardPgInstrumentation({ logSlowQueries: false }); // enabled: hooks the next require
    const pgm = freshPg();
    out.push({ name: 'pulseguard metrics', pool: new pgm.Pool(PG_CONFIG) });
    return out;
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const discard = { export: (_s: ReadableSpan[], cb: (r: ExportResult) => void) => cb({ code: 0 }), shutdown: async () => {} };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  const meterProvider = new MeterProvider({ readers: [new InspectionReader()] });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  // instrumentation-pg alone: patched by hand on its own copy, so its hooks stay off the others.
  const upstream = new PgInstrumentation({ enabled: false });
  upstream.setTracerProvider(tracerProvider);
  upstream.setMeterProvider(meterProvider);
  const pgu = freshPg();
  const [pgDef, poolDef] = upstream.getModuleDefinitions();
  pgDef.patch?.(pgu);
  poolDef.patch?.(loadedPgPool());
  out.push({ name: 'instrumentation-pg', pool: new pgu.Pool(PG_CONFIG) });
  // pulseguard with spans, wired as start() does it (pulseguard first, then the delegate).
  const ours = new PulseguardPgInstrumentation({ logSlowQueries: false });
  const delegate = new PgSpanDelegate();
  registerInstrumentations({ instrumentations: [ours, delegate], tracerProvider, meterProvider });
  const pgs = freshPg();
  out.push({ name: 'pulseguard + spans', pool: new pgs.Pool(PG_CONFIG) });
  return out;
}

async function slice(pool: PgPool, ms: number, lat: number[] | undefined): Promise<number> {
  let stop = false;
  let n = 0;
  const caller = async (): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      await pool.query('SELECT 1');
      n++;
      lat?.push(performance.now() - t0);
    }
  };
  const timer = setTimeout(() => (stop = true), ms);
  await Promise.all(Array.from({ length: CALLERS }, caller));
  clearTimeout(timer);
  return n;
}

async function runGroup(group: Group, slices: number, sliceMs: number): Promise<Record<string, CaseStats>> {
  const cases = setupGroup(group);
  for (const c of cases) await slice(c.pool, sliceMs, undefined); // warm-up
  const acc = cases.map(() => ({ queries: 0, seconds: 0, cpuUs: 0, lat: [] as number[] }));
  for (let s = 0; s < slices; s++) {
    const order = s % 2 === 0 ? cases.map((_, i) => i) : cases.map((_, i) => cases.length - 1 - i); // ABBA
    for (const i of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const q = await slice(cases[i].pool, sliceMs, acc[i].lat);
      const cpu = process.cpuUsage(cpu0);
      acc[i].seconds += (performance.now() - t0) / 1000;
      acc[i].queries += q;
      acc[i].cpuUs += cpu.user + cpu.system;
    }
  }
  for (const c of cases) await c.pool.end();
  const out: Record<string, CaseStats> = {};
  cases.forEach((c, i) => {
    const sorted = Float64Array.from(acc[i].lat).sort();
    out[c.name] = { ops: acc[i].queries / acc[i].seconds, p99Ms: sorted[Math.floor(sorted.length * 0.99)], cpuUsPerQuery: acc[i].cpuUs / acc[i].queries, queries: acc[i].queries };
  });
  return out;
}

function runChild(group: Group, slices: number, sliceMs: number): Promise<Record<string, CaseStats>> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--group', group, String(slices), String(sliceMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as Record<string, CaseStats>));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`group ${group} exited with ${code}`))));
  });
}

/** Runs both groups (each in a child process) and returns the comparison rows. */
export async function run(opts: { slices?: number; sliceMs?: number } = {}): Promise<BenchRow[]> {
  const slices = opts.slices ?? Number(process.env.PG_BENCH_SLICES ?? 12);
  const sliceMs = opts.sliceMs ?? Number(process.env.PG_BENCH_SLICE_MS ?? 500);
  const m = await runChild('metrics', slices, sliceMs);
  const s = await runChild('spans', slices, sliceMs);
  const suite = 'pg SELECT 1 (pool 10, 50 callers)';
  const rows: BenchRow[] = [];
  const row = (name: string, base: number, value: number, unit: string, target: string, ok?: boolean): void => {
    rows.push({ suite, case: name, baseline: base, pulseguard: value, unit, ratio: value / base, target, verdict: ok === undefined ? 'info' : ok ? 'pass' : 'fail' });
  };
  const mr = m['raw'], mp = m['pulseguard metrics'];
  const sr = s['raw'], su = s['instrumentation-pg'], sp = s['pulseguard + spans'];
  row('pulseguard metrics vs raw: throughput', mr.ops, mp.ops, 'queries/s', '>= 0.93x', mp.ops / mr.ops >= 0.93);
  row('pulseguard metrics vs raw: p99', mr.p99Ms, mp.p99Ms, 'ms', 'info');
  row('pulseguard metrics vs raw: CPU per query', mr.cpuUsPerQuery, mp.cpuUsPerQuery, 'us', 'info');
  row('instrumentation-pg alone vs raw (ctx): throughput', sr.ops, su.ops, 'queries/s', 'reference');
  row('instrumentation-pg alone vs raw (ctx): p99', sr.p99Ms, su.p99Ms, 'ms', 'reference');
  row('instrumentation-pg alone vs raw (ctx): CPU per query', sr.cpuUsPerQuery, su.cpuUsPerQuery, 'us', 'reference');
  row('pulseguard + spans vs instrumentation-pg alone: throughput', su.ops, sp.ops, 'queries/s', '>= 1.00x', sp.ops >= su.ops);
  row('pulseguard + spans vs instrumentation-pg alone: p99', su.p99Ms, sp.p99Ms, 'ms', 'info');
  row('pulseguard + spans vs instrumentation-pg alone: CPU per query', su.cpuUsPerQuery, sp.cpuUsPerQuery, 'us', 'info');
  row('pulseguard + spans vs raw (ctx): throughput', sr.ops, sp.ops, 'queries/s', 'info');
  return rows;
}

function printTable(rows: BenchRow[]): void {
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString()}`);
  console.log('| case | baseline | measured | unit | ratio | target | verdict |');
  console.log('|---|---:|---:|---|---:|---|---|');
  const f = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  for (const r of rows) console.log(`| ${r.case} | ${f(r.baseline)} | ${f(r.pulseguard)} | ${r.unit} | ${r.ratio.toFixed(2)}x | ${r.target} | ${r.verdict} |`);
}

if (require.main === module) {
  const i = process.argv.indexOf('--group');
  if (i > 0) {
    const [group, slices, sliceMs] = process.argv.slice(i + 1);
    runGroup(group as Group, Number(slices), Number(sliceMs)).then((r) => {
      process.send?.(r);
      process.exit(0);
    }, (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  } else {
    run().then(printTable, (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  }
}
