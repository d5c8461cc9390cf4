#!/usr/bin/env node
// Lists every metric pulseguard really emits, so docs/metrics.md is written from a scrape and not
// from memory. It starts pulseguard (dist/src/index.js) on a free port, drives a little traffic
// through each area (a ws echo, a pg `SELECT 1`, a real GramJS TelegramClient on the fake data
// centre, a rate-limit consume, an HTTP request, a tracked error), scrapes /metrics and prints one
// line per metric family: name, type, unit and HELP.
//
// Usage (after `npm run build`; PostgreSQL on 127.0.0.1:5432, database `test`, user postgres):
//   node scripts/list-metrics.mjs            table on stdout
//   node scripts/list-metrics.mjs --json     the same as JSON
// test/docs/metrics-catalogue.test.ts runs driveAndScrape() and checks docs/metrics.md against it.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = join(ROOT, 'docs', 'metrics.md');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** Parses a Prometheus text exposition into families { name, type, unit, help, samples }. */
export function parseExposition(text) {
  const families = new Map();
  const family = (name) => {
    if (!families.has(name)) families.set(name, { name, type: 'untyped', unit: '', help: '', samples: [] });
    return families.get(name);
  };
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^# HELP (\S+) ?(.*)$/.exec(line))) family(m[1]).help = m[2];
    else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) family(m[1]).type = m[2];
    else if ((m = /^# UNIT (\S+) (\S+)$/.exec(line))) family(m[1]).unit = m[2];
    else if (line && !line.startsWith('#')) {
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1];
      if (!sample) continue;
      // A sample belongs to the family whose name it starts with (x_bucket, x_sum, x_count, x_total).
      const owner = [...families.keys()].find((f) => sample === f || /^_(bucket|sum|count|total|created)$/.test(sample.slice(f.length)) && sample.startsWith(f));
      family(owner ?? sample).samples.push(line);
    }
  }
  for (const f of families.values()) {
    const keys = new Set();
    for (const sample of f.samples) for (const [, k] of (sample.match(/\{(.*)\}/)?.[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (k !== 'le') keys.add(k);
    f.labels = [...keys].sort();
  }
  return [...families.values()];
}

function get(url) {
  return new Promise((res, rej) => {
    http.get(url, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c) => (body += c));
      r.on('end', () => res({ status: r.statusCode, body }));
    }).on('error', rej);
  });
}

/** Drives every area once and returns the parsed /metrics scrape. Needs a build (dist/). */
export async function driveAndScrape() {
  const { start } = requireFromRoot('./dist/src/index.js');
  const telemetry = await start({
    service: { name: 'list-metrics' },
    logging: { level: 'silent' },
    exporters: { prometheus: { port: 0, host: '127.0.0.1' } },
    instrumentations: { telegram: { healthCheckIntervalMs: 3_600_000, rotationIntervalMs: 0 } },
  });
  const closers = [];
  try {
    // Modules are required after start() so the instrumentations patch them.
    const { WebSocketServer, WebSocket } = requireFromRoot('ws');
    const pg = requireFromRoot('pg');
    const { TelegramClient, Api } = requireFromRoot('telegram');
    const { StringSession } = requireFromRoot('telegram/sessions');
    const { Logger, LogLevel } = requireFromRoot('telegram/extensions/Logger');
    const { FakeTelegram } = requireFromRoot('./dist/src/testing/index.js');

    // HTTP: one request to a plain node:http server (http.server/http.client metrics).
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    await get(`http://127.0.0.1:${server.address().port}/`);

    // WebSocket: an echo server and a client, one message each way, then a close.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.on('listening', r));
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    closers.push(() => new Promise((r) => wss.close(() => r())));
    const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    await new Promise((r) => { ws.once('message', r); ws.send('ping'); });
    await new Promise((r) => { ws.once('close', r); ws.close(1000); });

    // PostgreSQL: a pool, SELECT 1 and a transaction.
    const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', max: 2 });
    closers.push(() => pool.end());
    await pool.query('SELECT 1');
    const client = await pool.connect();
    try { await client.query('BEGIN'); await client.query('SELECT 1'); await client.query('COMMIT'); } finally { client.release(); }

    // Telegram: a real TelegramClient on the fake data centre, one RPC and one update.
    const telegram = new FakeTelegram();
    const dc = telegram.addDataCenter({ dcId: 2 });
    const tg = new TelegramClient(new StringSession(dc.sessionString()), 123456, '0123456789abcdef0123456789abcdef', {
      connection: telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    closers.push(async () => { await tg.destroy(); telegram.close(); });
    await tg.connect();
    await tg.invoke(new Api.messages.SendMessage({ peer: new Api.InputPeerSelf(), message: 'hi', randomId: BigInt(Date.now()) }));
    dc.pushUpdate(new Api.UpdateShort({ update: new Api.UpdateUserTyping({ userId: BigInt(5), action: new Api.SendMessageTypingAction() }), date: 1 }));
    await new Promise((r) => setTimeout(r, 200));

    // Rate limits, the error tracker and the APM collector.
    await telemetry.limits.consume('api.standard', 'list-metrics');
    telemetry.errors.track(new Error('list-metrics sample'));
    telemetry.apm.trackTransaction('list-metrics').end();
    telemetry.apm.measureLatency('list-metrics.op', () => 1);
    telemetry.apm.recordDependencyCall('list-metrics-dep', { durationMs: 1, outcome: 'success' });

    const scrape = await get(telemetry.metricsUrl);
    if (scrape.status !== 200) throw new Error(`/metrics answered ${scrape.status}`);
    return parseExposition(scrape.body);
  } finally {
    for (const close of closers.reverse()) await Promise.resolve().then(close).catch(() => undefined);
    await telemetry.shutdown();
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const families = await driveAndScrape();
  if (process.argv.includes('--json')) console.log(JSON.stringify(families.map(({ samples, ...f }) => ({ ...f, series: samples.length })), null, 2));
  else for (const f of families) console.log([f.name, f.type, f.unit || '-', f.labels.join(',') || '-', f.help].join('\t'));
  process.exit(0);
}
