/**
 * bench/ws: an echo server with 200 clients exchanging 64 B, 4 KB, 64 KB and 1 MB messages, run three ways in
 * one process run: no instrumentation, pulseguard, and the npm `opentelemetry-instrumentation-ws`
 * (the anchor, with its per-message send spans on). Prints msgs/s, p99 round trip and the heap of
 * 10,000 idle connections for each, and the ratios.
 *
 *   node dist/bench/ws.bench.js            (PULSEGUARD_BENCH_QUICK=1 for a short run)
 *
 * Fairness: the clients run in a child process (bench/ws-load.ts) so the server process is
 * measured alone; every mode loads a fresh copy of ws (so patches never leak between modes);
 * the same tracer provider (batching into a discarding exporter) is registered for all modes;
 * after one discarded warm-up run, the modes alternate (B P A A P B) and each figure is the mean
 * of its two runs.
 */
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ExportResultCode } from '@opentelemetry/core';
import { createWsInstrumentation } from '../instrumentations/ws/index';

import type { BenchRow as SharedBenchRow } from './lib/bench-table';

/** The shared row plus the anchor's column (opentelemetry-instrumentation-ws). */
export interface BenchRow extends SharedBenchRow {
  anchor?: number | string;
  anchorRatio?: number;
}

type Mode = 'baseline' | 'pulseguard' | 'anchor';
type WsModule = typeof import('ws');
interface Instrumentation { enable(): void; disable(): void; setConfig(c: object): void }
type AnchorCtor = new (config?: object) => Instrumentation;

const QUICK = process.env.PULSEGUARD_BENCH_QUICK === '1';
const CLIENTS = 200;
const IDLE = Number(process.env.PULSEGUARD_BENCH_IDLE ?? (QUICK ? 2000 : 10_000));
const DURATION_MS = QUICK ? 1000 : 2000;
const WARMUP_MS = QUICK ? 300 : 700;
const ANCHOR = 'opentelemetry-instrumentation-ws@0.5.0';
/** Message sizes: the cost pulseguard adds must not grow with the payload. */
const SIZES = [64, 4096, 65_536, 1_048_576];
const MAX_SIZE = SIZES[SIZES.length - 1];
const sizeLabel = (n: number): string => (n >= 1_048_576 ? `${n / 1_048_576} MB` : n >= 1024 ? `${n / 1024} KB` : `${n} B`);
const projectRequire = createRequire(__filename);

/** A fresh copy of ws: every mode patches (or not) its own copy, nothing leaks between modes. */
function freshWs(): WsModule {
  for (const k of Object.keys(projectRequire.cache)) if (/[\\/]node_modules[\\/]ws[\\/]/.test(k)) delete projectRequire.cache[k];
  return projectRequire('ws') as WsModule;
}

/** Loads the anchor from a cache dir outside the project (installing it there if missing). */
function loadAnchor(): AnchorCtor | string {
  const dir = process.env.PULSEGUARD_BENCH_DEPS ?? join(tmpdir(), 'pulseguard-bench-deps');
  try {
    if (!existsSync(join(dir, 'node_modules', 'opentelemetry-instrumentation-ws'))) {
      console.log(`installing ${ANCHOR} into ${dir} (outside the project: it pins old @opentelemetry copies)`);
      execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', ANCHOR], { stdio: 'inherit' });
    } else {
      console.log(`using ${ANCHOR} from ${dir}`);
    }
    const req = createRequire(join(dir, 'package.json'));
    return (req('opentelemetry-instrumentation-ws') as { WSInstrumentation: AnchorCtor }).WSInstrumentation;
  } catch (err) {
    return `unavailable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

/** Starts the mode's instrumentation, then loads a fresh ws (so the require hooks patch it). */
function setupMode(mode: Mode, anchor: AnchorCtor | string): { ws: WsModule; teardown: () => void } {
  if (mode === 'pulseguard') {
    // Guards on with limits the load never reaches: the guard code runs on every message. The
    // size cap is raised too (its default, 4 KB, would close every 64 KB and 1 MB connection).
    const inst = createWsInstrumentation({ guards: true, limits: { messages: 1e12, total: 1e6, perUser: 1e6, newConnections: 1e6, maxMessageBytes: 2 * MAX_SIZE } });
    return { ws: freshWs(), teardown: () => inst.disable() };
  }
  if (mode === 'anchor' && typeof anchor !== 'string') {
    const inst = new anchor();
    // Its constructor ignores the config it is given; setConfig works (send spans = per-message spans).
    inst.setConfig({ sendSpans: true });
    inst.enable();
    return { ws: freshWs(), teardown: () => inst.disable() };
  }
  return { ws: freshWs(), teardown: () => {} };
}

async function echoServer(ws: WsModule): Promise<{ server: InstanceType<WsModule['WebSocketServer']>; url: string }> {
  const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(server, 'listening');
  server.on('connection', (s) => {
    s.on('error', () => {});
    s.on('message', (data, isBinary) => s.send(data, { binary: isBinary }));
  });
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function ask<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: T & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    child.send(msg);
  });
}

const gc = (): void => (runInNewContext('gc') as () => void)();

async function closeServer(server: InstanceType<WsModule['WebSocketServer']>): Promise<void> {
  for (const c of server.clients) c.terminate();
  await new Promise<void>((r) => server.close(() => r()));
}

async function echoRun(child: ChildProcess, mode: Mode, anchor: AnchorCtor | string, size: number) {
  const { ws, teardown } = setupMode(mode, anchor);
  const { server, url } = await echoServer(ws);
  try {
    // Server CPU per message is reported beside throughput: it holds up on a loaded machine,
    // where throughput and latency mostly measure the neighbours. Measured over the whole run
    // (warm-up included), divided by every message the server echoed in that time.
    const echoed = { n: 0 };
    server.on('connection', (s) => s.on('message', () => echoed.n++));
    const cpu0 = process.cpuUsage();
    const r = await ask<{ messages: number; p50: number; p99: number }>(child, { kind: 'echo', url, clients: CLIENTS, size, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
    const cpu = process.cpuUsage(cpu0);
    return { ...r, cpuPerMessageUs: (cpu.user + cpu.system) / Math.max(1, echoed.n) };
  } finally {
    await closeServer(server);
    teardown();
  }
}

/** Several collections with turns of the event loop between them, so weak refs and finalizers settle. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Heap per idle server connection: heap with N connections open minus heap after they all
 * closed (same run, same loaded code), divided by N.
 */
async function idleRun(child: ChildProcess, mode: Mode, anchor: AnchorCtor | string): Promise<number> {
  const { ws, teardown } = setupMode(mode, anchor);
  const { server, url } = await echoServer(ws);
  try {
    await ask(child, { kind: 'idle', url, clients: IDLE });
    while (server.clients.size < IDLE) await new Promise((r) => setTimeout(r, 20));
    const open = await settledHeap();
    await ask(child, { kind: 'close' });
    while (server.clients.size > 0) await new Promise((r) => setTimeout(r, 20));
    const closed = await settledHeap();
    return (open - closed) / IDLE;
  } finally {
    await closeServer(server);
    teardown();
  }
}

/**
 * CPU cost of the inbound-message path alone, without the network: emits 'message' on a real
 * server-side socket N times (what ws's receiver does per message) and times it. Holds up on a
 * loaded machine far better than throughput: it is the per-message work pulseguard adds
 * (counter, size and handler-time histograms, the guard check).
 */
async function hookCostNs(mode: Mode, anchor: AnchorCtor | string): Promise<number> {
  const { ws, teardown } = setupMode(mode, anchor);
  const { server, url } = await echoServer(ws);
  try {
    const client = new ws.WebSocket(url);
    client.on('error', () => {});
    const [[sock]] = (await Promise.all([once(server, 'connection'), once(client, 'open')])) as [[InstanceType<WsModule['WebSocket']>], unknown];
    sock.removeAllListeners('message');
    sock.on('message', () => {});
    const buf = Buffer.alloc(64);
    const n = QUICK ? 200_000 : 1_000_000;
    for (let i = 0; i < 50_000; i++) sock.emit('message', buf, false);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sock.emit('message', buf, false);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    client.terminate();
    return ns;
  } finally {
    await closeServer(server);
    teardown();
  }
}

const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;

/** Runs the whole bench and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  setFlagsFromString('--expose-gc');
  const anchor = loadAnchor();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard, { maxQueueSize: 100_000 })] });
  trace.setGlobalTracerProvider(provider);
  const child = fork(join(__dirname, 'ws-load.js'), [], { stdio: 'inherit' });
  const modes: Mode[] = typeof anchor === 'string' ? ['baseline', 'pulseguard'] : ['baseline', 'pulseguard', 'anchor'];
  const rows: BenchRow[] = [];
  try {
    for (const size of SIZES) {
      const got: Record<Mode, Array<{ messages: number; p99: number; cpuPerMessageUs: number }>> = { baseline: [], pulseguard: [], anchor: [] };
      // A discarded run first: the load generator and the server JIT-compile during it.
      await echoRun(child, 'baseline', anchor, size);
      for (const m of [...modes, ...[...modes].reverse()]) got[m].push(await echoRun(child, m, anchor, size));
      const tput = (m: Mode) => mean(got[m].map((r) => r.messages));
      const p99 = (m: Mode) => mean(got[m].map((r) => r.p99));
      const cpu = (m: Mode) => mean(got[m].map((r) => r.cpuPerMessageUs));
      const anchorOr = (f: (m: Mode) => number): number | string => (typeof anchor === 'string' ? anchor : f('anchor'));
      const label = sizeLabel(size);
      rows.push(row(`echo ${label}, ${CLIENTS} clients: throughput`, tput('baseline'), tput('pulseguard'), 'msg/s', '>= 0.98x', (r) => r >= 0.98, anchorOr(tput)));
      rows.push(row(`echo ${label}, ${CLIENTS} clients: p99 round trip`, p99('baseline'), p99('pulseguard'), 'ms', '<= 1.03x', (r) => r <= 1.03, anchorOr(p99)));
      rows.push(row(`echo ${label}, ${CLIENTS} clients: server CPU per message`, cpu('baseline'), cpu('pulseguard'), 'us', '<= 1.03x', (r) => r <= 1.03, anchorOr(cpu)));
    }
    const hook: Record<Mode, number[]> = { baseline: [], pulseguard: [], anchor: [] };
    for (const m of [...modes, ...[...modes].reverse()]) hook[m].push(await hookCostNs(m, anchor));
    const hookNs = (m: Mode) => Math.min(...hook[m]);
    const extraNs = hookNs('pulseguard') - hookNs('baseline');
    rows.push({ suite: 'ws', case: 'inbound message path, no network (emit on a server socket)', baseline: round(hookNs('baseline')), pulseguard: round(hookNs('pulseguard')),
      unit: 'ns/msg', ratio: round(hookNs('pulseguard') / hookNs('baseline'), 3), target: `extra ${round(extraNs)} ns`, verdict: 'info',
      anchor: typeof anchor === 'string' ? anchor : round(hookNs('anchor')), anchorRatio: typeof anchor === 'string' ? undefined : round(hookNs('anchor') / hookNs('baseline'), 3) });
    // Heap is measured open-vs-closed inside each run, so one run per mode suffices.
    const heap: Partial<Record<Mode, number>> = {};
    for (const m of modes) heap[m] = await idleRun(child, m, anchor);
    const base = heap.baseline as number;
    const extra = (heap.pulseguard as number) - base;
    rows.push({ suite: 'ws', case: `${IDLE} idle connections: heap per connection`, baseline: round(base), pulseguard: round(heap.pulseguard as number), unit: 'B',
      ratio: round((heap.pulseguard as number) / base, 3), target: 'extra < 1024 B', verdict: extra < 1024 ? 'pass' : 'fail',
      anchor: heap.anchor === undefined ? String(anchor) : round(heap.anchor), anchorRatio: heap.anchor === undefined ? undefined : round(heap.anchor / base, 3) });
    rows.push({ suite: 'ws', case: `${IDLE} idle connections: extra heap per connection`, baseline: 0, pulseguard: round(extra), unit: 'B', ratio: NaN,
      target: '< 1024 B', verdict: extra < 1024 ? 'pass' : 'fail', anchor: heap.anchor === undefined ? String(anchor) : round(heap.anchor - base) });
  } finally {
    child.send({ kind: 'exit' });
    await provider.shutdown();
  }
  return rows;
}

const discard: SpanExporter = { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} };

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function row(name: string, baseline: number, pulseguard: number, unit: string, target: string, ok: (r: number) => boolean, anchor: number | string): BenchRow {
  const ratio = pulseguard / baseline;
  return { suite: 'ws', case: name, baseline: round(baseline, 2), pulseguard: round(pulseguard, 2), unit, ratio: round(ratio, 3), target, verdict: ok(ratio) ? 'pass' : 'fail',
    anchor: typeof anchor === 'number' ? round(anchor, 2) : anchor, anchorRatio: typeof anchor === 'number' ? round(anchor / baseline, 3) : undefined };
}

/** Prints rows as a table with the system line. */
export function print(rows: BenchRow[]): void {
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`);
  console.table(rows.map((r) => ({ case: r.case, unit: r.unit, baseline: r.baseline, pulseguard: r.pulseguard, ratio: r.ratio, target: r.target, verdict: r.verdict,
    [ANCHOR]: r.anchor, 'anchor ratio': r.anchorRatio })));
}

if (require.main === module) {
  run().then(print).then(() => process.exit(0), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
