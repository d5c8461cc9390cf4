/**
 * bench/ws-instructions: CPU instructions per echoed WebSocket message, baseline vs pulseguard,
 * counted by valgrind's callgrind, at 64 B, 4 KB, 64 KB and 1 MB. Instruction counts do not
 * depend on the machine's load, so this is the figure that shows whether pulseguard's cost grows
 * with the payload while the throughput rows of bench/ws are noise on a shared machine.
 *
 *   npm run bench -- ws-instructions      (20-40 minutes: every case runs node under valgrind)
 *   node dist/bench/ws-instructions.bench.js [64 4096 65536 1048576]   (only those sizes)
 *   node dist/bench/ws-instructions.bench.js worker <baseline|pulseguard> <size> <warmup> <messages>
 *                                          (one measured process, to run under a profiler yourself)
 *
 * One process per count: a server and one client in the same process (perMessageDeflate off),
 * the client sends a string (the text path: `send(string)`), the server echoes the Buffer it got
 * (the binary path), so both roles' send and receive paths run. Node runs with `--single-threaded`
 * (no concurrent JIT or GC threads) and seeded (`--hash-seed=1 --random-seed=1`). Each case counts
 * N1 and N2 messages after the same warm-up (each count the lowest of REPEATS runs); instructions
 * per message = (I(N2) - I(N1)) / (N2 - N1), which cancels startup, module loading and the
 * warm-up. What still varies between runs is garbage collection: whether a collection lands
 * inside one run's window and not the other's moves the total by thousands of instructions per
 * message. So each case reports two rows: the count excluding GC (the self cost of every function
 * in callgrind's out file minus those of the collector, see lib/callgrind-costs.ts), judged
 * against the +3% CPU target, and the total, for information. Needs `valgrind` on the PATH.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { row, type BenchRow } from './lib/bench-table';
import { gcSplit, hasValgrind, runCallgrind } from './lib/callgrind-costs';

type Mode = 'baseline' | 'pulseguard';
const SIZES = [64, 4096, 65_536, 1_048_576];
/**
 * Per size: warm-up messages, then the two message counts. The warm-up is long enough for every
 * optimizing compile to have happened before the window (one compile is millions of
 * instructions; with 3,000 messages at 64 B, pulseguard's runs still compiled inside it and two
 * runs differed by 4%). Larger payloads cost more per message and need fewer.
 */
const PLAN: Record<number, { warmup: number; counts: [number, number] }> = {
  64: { warmup: 10_000, counts: [500, 4500] },
  4096: { warmup: 10_000, counts: [500, 4500] },
  65_536: { warmup: 3000, counts: [200, 1200] },
  1_048_576: { warmup: 150, counts: [20, 80] },
};
/** The CPU target of issue 22: pulseguard's instructions per message at most 3% above plain ws's. */
const MAX_RATIO = 1.03;
const sizeLabel = (n: number): string => (n >= 1_048_576 ? `${n / 1_048_576} MB` : n >= 1024 ? `${n / 1024} KB` : `${n} B`);

/** The measured process: `node ws-instructions.bench.js worker <mode> <size> <warmup> <messages>`. */
async function worker(mode: Mode, size: number, warmup: number, messages: number): Promise<void> {
  if (mode === 'pulseguard') {
    // As in bench/ws: guards on with limits the load never reaches, the size cap above 1 MB.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded before ws, so its hook patches ws
    const { createWsInstrumentation } = require('../instrumentations/ws/index') as typeof import('../instrumentations/ws/index');
    createWsInstrumentation({ pingIntervalMs: 0, guards: true, limits: { messages: 1e12, total: 1e6, perUser: 1e6, newConnections: 1e6, maxMessageBytes: 4 * 1_048_576 } });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the instrumentation
  const ws = require('ws') as typeof import('ws');
  const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 4 * 1_048_576 });
  await once(server, 'listening');
  server.on('connection', (s) => s.on('message', (data, isBinary) => s.send(data, { binary: isBinary })));
  const client = new ws.WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: false, maxPayload: 4 * 1_048_576 });
  await once(client, 'open');
  // A flat (sequential) string, as JSON.parse or a socket read produce one. 'a'.repeat() builds a
  // cons string: whether it was flattened before a GC moved it to the old generation depends on
  // what the process allocated meanwhile, and left unflattened, every Buffer.byteLength of it in
  // ws's Sender took V8's slow path (3.1 instructions per byte: +184,000 per 64 KB message under
  // pulseguard in one run, +180 at 64 B), a difference of the bench's string, not of the send.
  const payload = JSON.parse(`"${'a'.repeat(size)}"`) as string;
  const total = warmup + messages;
  let done = 0;
  await new Promise<void>((resolve) => {
    client.on('message', () => {
      if (++done === total) resolve();
      else client.send(payload);
    });
    client.send(payload);
  });
  client.terminate();
  server.close();
}

/** Instructions of one measured process: all of them, and those of V8's garbage collector. */
function instructions(mode: Mode, size: number, messages: number, dir: string): { total: number; gc: number } {
  const out = join(dir, `callgrind.${mode}.${size}.${messages}`);
  // Seeded: at startup V8 searches primes from its random hash seed, a cost that differs between
  // processes by millions of instructions; seeded, two runs of one build count alike.
  const args = [process.execPath, '--single-threaded', '--hash-seed=1', '--random-seed=1', __filename, 'worker', mode, String(size), String(PLAN[size].warmup), String(messages)];
  const collected = runCallgrind(out, args, `${mode}, ${size} B, ${messages}`);
  const split = gcSplit(out);
  rmSync(out, { force: true });
  if (split.total !== collected) throw new Error(`callgrind out file of ${mode} ${size} B sums to ${split.total}, valgrind reported ${collected}`);
  return split;
}

/**
 * Each count is run this many times and the lowest kept: a seeded run repeats the same work, so
 * what differs is work added by something outside it (one 64 B baseline pair in a run of this
 * bench counted 1,000 instructions per message more than every other; not reproduced).
 */
const REPEATS = 2;

/** The lowest counts of REPEATS runs of one count (total and GC-free taken separately). */
function lowest(mode: Mode, size: number, messages: number, dir: string): { total: number; excludingGc: number } {
  let total = Infinity;
  let excludingGc = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const r = instructions(mode, size, messages, dir);
    // Each run on stderr, so whether the repeats of a count agree can be read from the output.
    console.error(`${mode} ${sizeLabel(size)} ${messages} messages, run ${i + 1}: ${r.total - r.gc} excluding GC, ${r.total} total`);
    total = Math.min(total, r.total);
    excludingGc = Math.min(excludingGc, r.total - r.gc);
  }
  return { total, excludingGc };
}

/** Instructions per message of one mode and size, in total and excluding garbage collection. */
function perMessage(mode: Mode, size: number, dir: string): { total: number; excludingGc: number } {
  const [n1, n2] = PLAN[size].counts;
  const a = lowest(mode, size, n1, dir);
  const b = lowest(mode, size, n2, dir);
  const n = n2 - n1;
  return { total: (b.total - a.total) / n, excludingGc: (b.excludingGc - a.excludingGc) / n };
}

/** Runs every case and returns its rows. */
export async function run(sizes: readonly number[] = SIZES): Promise<BenchRow[]> {
  if (!hasValgrind()) throw new Error('valgrind is not on the PATH (apt-get install -y valgrind)');
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-ws-callgrind-'));
  const rows: BenchRow[] = [];
  try {
    for (const size of sizes) {
      const baseline = perMessage('baseline', size, dir);
      const pulseguard = perMessage('pulseguard', size, dir);
      const label = `echo ${sizeLabel(size)}: instructions per message`;
      rows.push(row({
        suite: 'ws-instructions', case: `${label}, excluding GC (callgrind)`, baseline: Math.round(baseline.excludingGc), pulseguard: Math.round(pulseguard.excludingGc),
        unit: 'instr/msg', max: MAX_RATIO, target: `<= ${MAX_RATIO}x`, notes: `extra ${Math.round(pulseguard.excludingGc - baseline.excludingGc)} instr/msg`,
      }));
      rows.push(row({
        suite: 'ws-instructions', case: `${label}, total (callgrind)`, baseline: Math.round(baseline.total), pulseguard: Math.round(pulseguard.total),
        unit: 'instr/msg', target: 'info (GC lands in or out of a window)', notes: `extra ${Math.round(pulseguard.total - baseline.total)} instr/msg`,
      }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  if (process.argv[2] === 'worker') {
    worker(process.argv[3] as Mode, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6])).then(() => process.exit(0), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  } else {
    // Optional sizes, e.g. `node dist/bench/ws-instructions.bench.js 64 4096` (the default: all four).
    const sizes = process.argv.slice(2).map(Number).filter((n) => SIZES.includes(n));
    run(sizes.length > 0 ? sizes : SIZES).then((rows) => {
      console.table(rows.map((r) => ({ case: r.case, baseline: r.baseline, pulseguard: r.pulseguard, unit: r.unit, ratio: Math.round(r.ratio * 1000) / 1000, target: r.target, verdict: r.verdict, notes: r.notes })));
    }, (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}
