/**
 * bench/ws-instructions: CPU instructions per echoed WebSocket message, baseline vs pulseguard,
 * counted by valgrind's callgrind, at 64 B, 4 KB, 64 KB and 1 MB. Instruction counts do not
 * depend on the machine's load, so this is the figure that shows whether pulseguard's cost grows
 * with the payload while the throughput rows of bench/ws are noise on a shared machine.
 *
 *   npm run bench -- ws-instructions      (10-20 minutes: every case runs node under valgrind)
 *   node dist/bench/ws-instructions.bench.js worker <baseline|pulseguard> <size> <warmup> <messages>
 *                                          (one measured process, to run under a profiler yourself)
 *
 * One process per count: a server and one client in the same process (perMessageDeflate off),
 * the client sends a string (the text path: `send(string)`), the server echoes the Buffer it got
 * (the binary path), so both roles' send and receive paths run. Node runs with `--single-threaded`
 * (no concurrent JIT or GC threads). Each case runs twice, with N1 and N2 messages after the same
 * warm-up; instructions per message = (I(N2) - I(N1)) / (N2 - N1), which cancels startup, module
 * loading and the warm-up. What still varies between runs (a GC or a late compile landing in the
 * window, how TCP chunks a large message) is a few percent. Needs `valgrind` on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './lib/bench-table';

type Mode = 'baseline' | 'pulseguard';
const SIZES = [64, 4096, 65_536, 1_048_576];
/**
 * Per size: warm-up messages (long enough for the JIT to settle: one optimizing compile is
 * millions of instructions, which would otherwise land in the measured difference), then the
 * two message counts. Larger payloads cost more per message and need fewer.
 */
const PLAN: Record<number, { warmup: number; counts: [number, number] }> = {
  64: { warmup: 3000, counts: [500, 4500] },
  4096: { warmup: 3000, counts: [500, 4500] },
  65_536: { warmup: 1000, counts: [200, 1200] },
  1_048_576: { warmup: 40, counts: [20, 80] },
};
/** Extra instructions per message may exceed the 64 B case's by this much (JIT noise) and still "not grow". */
const TOLERANCE = 1500;
const sizeLabel = (n: number): string => (n >= 1_048_576 ? `${n / 1_048_576} MB` : n >= 1024 ? `${n / 1024} KB` : `${n} B`);

/** The measured process: `node ws-instructions.bench.js worker <mode> <size> <messages>`. */
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
  const payload = 'a'.repeat(size);
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

function instructions(mode: Mode, size: number, messages: number, dir: string): number {
  const out = join(dir, `callgrind.${mode}.${size}.${messages}`);
  const args = [process.execPath, '--single-threaded', __filename, 'worker', mode, String(size), String(PLAN[size].warmup), String(messages)];
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...args], { encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`valgrind run failed (${mode}, ${size} B, ${messages}): ${r.stderr.split('\n').slice(-5).join(' ')}`);
  return Number(m[1]);
}

/** Instructions per message of one mode and size. */
function perMessage(mode: Mode, size: number, dir: string): number {
  const [n1, n2] = PLAN[size].counts;
  return (instructions(mode, size, n2, dir) - instructions(mode, size, n1, dir)) / (n2 - n1);
}

/** Runs every case and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind is not on the PATH (apt-get install -y valgrind)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-ws-callgrind-'));
  const rows: BenchRow[] = [];
  try {
    let extraAtSmallest: number | undefined;
    for (const size of SIZES) {
      const baseline = perMessage('baseline', size, dir);
      const pulseguard = perMessage('pulseguard', size, dir);
      const extra = pulseguard - baseline;
      extraAtSmallest ??= extra;
      const grows = extra > extraAtSmallest + TOLERANCE;
      rows.push({
        suite: 'ws-instructions', case: `echo ${sizeLabel(size)}: instructions per message (callgrind)`, baseline: Math.round(baseline), pulseguard: Math.round(pulseguard),
        unit: 'instr/msg', ratio: Math.round((pulseguard / baseline) * 1000) / 1000,
        target: `extra <= ${sizeLabel(SIZES[0])}'s + ${TOLERANCE}`, verdict: grows ? 'fail' : 'pass', notes: `extra ${Math.round(extra)} instr/msg`,
      });
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
    run().then((rows) => {
      console.table(rows.map((r) => ({ case: r.case, baseline: r.baseline, pulseguard: r.pulseguard, unit: r.unit, ratio: r.ratio, target: r.target, verdict: r.verdict, notes: r.notes })));
    }, (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}
