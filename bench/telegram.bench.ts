/**
 * Invoke overhead per call: bare GramJS versus GramJS with the pulseguard Telegram
 * instrumentation (span per call with the SDK tracer, per-attempt hook, hot-path metrics), on
 * the in-process fake DC (real MTProto encryption, no network). Rounds alternate baseline and
 * instrumented in ONE process so both see the same machine state.
 *
 * Run alone: `node dist/bench/telegram.bench.js` (env BENCH_CALLS, BENCH_ROUNDS).
 */
import os from 'node:os';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { TelegramInstrumentation } from '../instrumentations/telegram/index';
import { MTProtoSender } from 'telegram/network/MTProtoSender';
import { FakeTelegram } from '../src/testing/index';

import type { BenchRow } from './lib/bench-table';

export type { BenchRow };

/** CPU µs per call (user + system): wall time on a shared machine is dominated by crypto-pool idle time. */
async function timeCalls(client: TelegramClient, calls: number): Promise<number> {
  const req = new Api.updates.GetState();
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) await client.invoke(req);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / calls;
}

/**
 * A client whose sender answers every request at once, through the real (patched)
 * MTProtoSender.prototype.addStateToQueue: only the invoke machinery runs, so the difference
 * between the two modes is the instrumentation's own cost per call, without network noise.
 */
function instantClient(): TelegramClient {
  const client = new TelegramClient(new StringSession(''), 1, 'bench-api-hash-0000', { baseLogger: new Logger(LogLevel.NONE) });
  const result = new Api.updates.State({ pts: 1, qts: 0, date: 1, seq: 0, unreadCount: 0 });
  const sender = Object.create(MTProtoSender.prototype) as { _sendQueue: unknown; _dcId: number; userDisconnected: boolean };
  sender._dcId = 2;
  sender._sendQueue = { append: (state: { resolve(v: unknown): void }) => state.resolve(result) };
  sender.userDisconnected = false;
  (client as unknown as { _sender: unknown })._sender = sender;
  (client as unknown as { _connectedDeferred: { resolve(): void } })._connectedDeferred.resolve();
  return client;
}

async function wallCalls(client: TelegramClient, calls: number): Promise<number> {
  const req = new Api.updates.GetState();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await client.invoke(req);
  return Number(process.hrtime.bigint() - t0) / 1000 / calls;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the bench and returns its rows. */
export async function run(opts: { calls?: number; rounds?: number } = {}): Promise<BenchRow[]> {
  const calls = opts.calls ?? Number(process.env.BENCH_CALLS ?? 2000);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 100_000 })] });
  const instrumentation = new TelegramInstrumentation({ enabled: false, spans: process.env.BENCH_SPANS !== '0' });
  instrumentation.setTracerProvider(provider);

  const telegram = new FakeTelegram();
  const dc = telegram.addDataCenter({ dcId: 2 });
  const client = new TelegramClient(new StringSession(dc.sessionString()), 1, 'bench-api-hash-0000', {
    connection: telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
  });
  await client.connect();
  await timeCalls(client, 500); // warm-up: JIT, crypto, TL caches

  const base: number[] = [];
  const instr: number[] = [];
  for (let r = 0; r < rounds; r++) {
    instrumentation.disable();
    base.push(await timeCalls(client, calls));
    instrumentation.enable();
    instr.push(await timeCalls(client, calls));
    exporter.reset();
  }
  instrumentation.disable();
  // Isolated cost per call in four modes, alternating in one process.
  const sampled = new BasicTracerProvider({
    sampler: new TraceIdRatioBasedSampler(0.01),
    spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter(), { maxQueueSize: 100_000 })],
  });
  const instant = instantClient();
  const instantCalls = calls * 10;
  await wallCalls(instant, instantCalls); // warm-up
  const modes = {
    bare: [] as number[], metricsOnly: [] as number[], sampled: [] as number[], allSpans: [] as number[],
  };
  for (let r = 0; r < rounds; r++) {
    instrumentation.disable();
    modes.bare.push(await wallCalls(instant, instantCalls));
    instrumentation.setConfig({ spans: false });
    instrumentation.enable();
    modes.metricsOnly.push(await wallCalls(instant, instantCalls));
    instrumentation.setConfig({ spans: true });
    instrumentation.setTracerProvider(sampled);
    modes.sampled.push(await wallCalls(instant, instantCalls));
    instrumentation.setTracerProvider(provider);
    modes.allSpans.push(await wallCalls(instant, instantCalls));
    exporter.reset();
  }
  instrumentation.disable();
  await sampled.shutdown();
  await client.destroy();
  telegram.close();
  await provider.shutdown();

  const b = median(base);
  const p = median(instr);
  const bare = median(modes.bare);
  const rows: BenchRow[] = [
    { suite: 'telegram', case: 'invoke updates.GetState on the fake DC, MTProto encryption included (CPU µs per call)', baseline: round(b), pulseguard: round(p),
      unit: 'CPU µs/call', ratio: round(p / b, 3), target: 'informational (noisy: crypto and GC dominate)', verdict: 'pass' },
  ];
  // Target: overhead under 2% of a 1 ms (1000 µs) round trip, i.e. under 20 µs per call.
  const label = { metricsOnly: 'metrics only (spans: false)', sampled: 'metrics + spans, 1% sampled', allSpans: 'metrics + a span per call (always sampled)' };
  for (const key of ['metricsOnly', 'sampled', 'allSpans'] as const) {
    const overhead = median(modes[key]) - bare;
    rows.push({
      suite: 'telegram', case: `invoke overhead vs a 1 ms round trip: ${label[key]}`, baseline: 1000, pulseguard: round(1000 + overhead),
      unit: 'µs/call', ratio: round((1000 + overhead) / 1000, 4), target: '< 1.02 (overhead < 20 µs)', verdict: overhead < 20 ? 'pass' : 'fail',
    });
  }
  rows.push({ suite: 'telegram', case: 'invoke machinery only, instant sender (bare GramJS wall µs per call)', baseline: round(bare, 2), pulseguard: round(bare, 2),
    unit: 'µs/call', ratio: 1, target: 'reference', verdict: 'pass' });
  return rows;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (require.main === module) {
  void run().then((rows) => {
    console.log(`node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`);
    console.table(rows);
  });
}
