import type { WebSocket } from 'ws';
import { ConsoleReporter, type DemoEvent } from './console-reporter';
import { applyFakeDcEffects } from './fake-dc-effects';
import { DATABASE_ALERTS, SCENARIOS, expectedAlerts, type PhaseLoad, type Scenario } from './scenario';
import { SLOW_QUERY, startGateway, type Gateway } from './service';

/** Where the demo writes and what it reads; injected so the CLI test runs it in-process. */
export interface DemoIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** What a finished run saw. */
export interface DemoResult {
  readonly exitCode: number;
  readonly events: readonly DemoEvent[];
  readonly scenario: string;
}

/** Parses "60s", "1m", "1500ms" or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

/** Parses the demo's flags; a string is a usage error. */
export function parseDemoArgs(args: readonly string[]): { scenario: Scenario; durationMs: number } | string {
  let scenarioName = 'default';
  let duration: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const value = inline ?? args[++i];
    if (flag === '--scenario' && value) scenarioName = value;
    else if (flag === '--duration' && value) duration = value;
    else return `unexpected argument ${args[i] ?? flag}`;
  }
  const scenario = SCENARIOS[scenarioName];
  if (!scenario) return `unknown scenario "${scenarioName}" (${Object.keys(SCENARIOS).join(', ')})`;
  const durationMs = duration === undefined ? scenario.defaultDurationMs : parseDuration(duration);
  if (durationMs === undefined || durationMs < 5000) return `--duration must be at least 5s, like 60s or 1m (got "${duration}")`;
  return { scenario, durationMs };
}

/** Sum of a counter's points, read through telemetry.collect() like any reader. */
async function counterTotal(gw: Gateway, name: string): Promise<number> {
  const resourceMetrics = await gw.telemetry.collect();
  let total = 0;
  for (const sm of resourceMetrics.scopeMetrics) {
    for (const m of sm.metrics) {
      if (m.descriptor.name !== name) continue;
      for (const p of m.dataPoints) total += typeof p.value === 'number' ? p.value : 0;
    }
  }
  return total;
}

/** The database line of the banner: which PostgreSQL the demo uses, or how to add one. */
export function databaseLine(gw: Pick<Gateway, 'database' | 'databaseNote'>): string {
  if (gw.database === 'postgres') return 'PostgreSQL (DATABASE_URL), pool of 5 connections';
  if (gw.database === 'embedded') return 'embedded PostgreSQL (PGlite over the wire protocol; set DATABASE_URL for your own), pool of 5 connections';
  return `not configured: ${gw.databaseNote ?? 'set DATABASE_URL'}; the other legs run`;
}

/** The summary lines of the database leg: the slowest statement and the start of its plan. */
function slowQueryLines(gw: Gateway): string[] {
  if (!gw.pool) return [];
  const [top] = gw.telemetry.db.slowQueries({ limit: 1 });
  if (!top) return ['  slow queries: none'];
  const plan = (top.plan as Array<{ Plan?: { 'Node Type'?: string; Plans?: Array<{ 'Node Type'?: string; 'Relation Name'?: string }> } }> | undefined)?.[0]?.Plan;
  const nodes = plan ? [plan['Node Type'], ...(plan.Plans ?? []).map((p) => `${p['Node Type']}${p['Relation Name'] ? ` on ${p['Relation Name']}` : ''}`)].join(' > ') : 'no plan';
  return [
    `  slow queries: ${top.count} x ${top.statement} (max ${Math.round(top.maxMs)} ms)`,
    `    EXPLAIN: ${nodes}`,
  ];
}

/** Cap on queries waiting for a pool connection, so the pool recovers soon after the phase ends. */
const MAX_DB_WAITING = 8;

const TICK_MS = 100;
const WS_CLIENTS = 5;
const SETTLE_MS = 20_000;
/**
 * Longest a phase runs past its share while an alert it is meant to show has not fired yet (or
 * the slow query's plan is not in). The rules' windows are a few seconds; on a loaded machine a
 * phase's share can end before the evaluator's next tick sees the window fill, and the story
 * would skip its point.
 */
const PHASE_EXTENSION_MS = 15_000;

/** Drives one phase's load until `until` (epoch ms) or the abort. Counts what failed. */
async function drive(gw: Gateway, sockets: WebSocket[], load: PhaseLoad, until: number, signal: AbortSignal, stats: { sent: number; failed: number }): Promise<void> {
  const carry = { ws: 0, api: 0, tg: 0, db: 0 };
  let n = 0;
  while (Date.now() < until && !signal.aborted) {
    carry.ws += (load.wsMessagesPerSecond * TICK_MS) / 1000;
    carry.api += (load.apiRequestsPerSecond * TICK_MS) / 1000;
    carry.tg += (load.telegramSendsPerSecond * TICK_MS) / 1000;
    for (; carry.ws >= 1; carry.ws--) {
      const s = sockets[n++ % sockets.length];
      if (s.readyState === s.OPEN) s.send(JSON.stringify({ text: 'hello', n }));
    }
    for (; carry.api >= 1; carry.api--) {
      const post = n++ % 2 === 0;
      fetch(`${gw.url}/api/${post ? 'messages' : 'status'}`, { method: post ? 'POST' : 'GET' }).then((r) => r.arrayBuffer(), () => undefined);
    }
    for (; carry.tg >= 1; carry.tg--) {
      stats.sent++;
      gw.telegramCall('chat message').catch(() => { stats.failed++; });
    }
    carry.db += ((load.dbSlowQueriesPerSecond ?? 0) * TICK_MS) / 1000;
    for (; carry.db >= 1; carry.db--) {
      if (gw.pool && gw.pool.waitingCount < MAX_DB_WAITING) gw.pool.query(SLOW_QUERY, ['message %', n++ % 50]).catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
}

/**
 * Runs the chat-gateway demo: starts the service, plays the scenario, prints alerts and
 * recovery runs, then a summary. SIGINT/SIGTERM end it early and cleanly. Resolves to the exit code.
 */
export async function runDemo(args: readonly string[], io: DemoIo): Promise<DemoResult> {
  const parsed = parseDemoArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`pulseguard demo: ${parsed}\nusage: pulseguard demo [--duration 60s] [--scenario default|short]\n`);
    return { exitCode: 2, events: [], scenario: '' };
  }
  const { scenario, durationMs } = parsed;
  const abort = new AbortController();
  const onSignal = (): void => {
    if (!abort.signal.aborted) io.stdout('\nstopping (signal received)...\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const gw = await startGateway({ env: io.env });
  const reporter = new ConsoleReporter(gw.telemetry, (line) => io.stdout(`${line}\n`));
  const { WebSocket: Ws } = await import('ws');
  const sockets: WebSocket[] = [];
  let done = false;
  try {
    io.stdout([
      `pulseguard demo: chat-gateway, scenario "${scenario.name}", ${Math.round(durationMs / 1000)} s`,
      `  API       ${gw.url}/api/status`,
      `  WebSocket ${gw.url.replace('http', 'ws')}`,
      `  metrics   ${gw.metricsUrl}`,
      `  health    ${gw.healthUrl}  (also /health/detailed, /health/telegram)`,
      `  telegram  ${gw.telegramMode === 'fake' ? 'fake data centre (set TELEGRAM_API_ID, TELEGRAM_API_HASH, TELEGRAM_SESSION for a real account)' : 'real account'}`,
      `  database  ${databaseLine(gw)}`,
      '',
    ].join('\n'));
    reporter.start();
    // Chat clients that reconnect after the server closes them (the burst trips the WebSocket limit).
    const connect = (i: number): WebSocket => {
      const s = new Ws(gw.url.replace('http', 'ws'));
      s.on('error', () => undefined);
      s.on('close', () => {
        if (abort.signal.aborted || done) return;
        setTimeout(() => { if (!abort.signal.aborted && !done) sockets[i] = connect(i); }, 300).unref();
      });
      sockets[i] = s;
      return s;
    };
    for (let i = 0; i < WS_CLIENTS; i++) connect(i);
    await Promise.all(sockets.map((s) => new Promise((r) => { s.once('open', r); s.once('error', r); })));
    const stats = { sent: 0, failed: 0 };
    const phases = scenario.phases;
    for (const [i, phase] of phases.entries()) {
      if (abort.signal.aborted) break;
      const ms = phase.share * durationMs;
      reporter.phase(i + 1, phases.length, phase.name, phase.description, ms / 1000);
      const faults = gw.fake ? await applyFakeDcEffects(gw.fake, gw.client, phase.load) : undefined;
      if (!gw.pool && phase.load.dbSlowQueriesPerSecond) reporter.line('         (no database: the slow queries are skipped)');
      if (!gw.fake && (phase.load.floodWaits || phase.load.migrateDc || phase.load.telegramLatencyMs || phase.load.dropTelegram)) {
        reporter.line('         (Telegram faults are injected only on the fake data centre; skipped)');
      }
      await drive(gw, sockets, phase.load, Date.now() + ms, abort.signal, stats);
      const unseen = (): string[] => [
        ...(phase.expectAlerts ?? []).filter((n) => (gw.pool !== undefined || !DATABASE_ALERTS.includes(n))
          && !reporter.events.some((e) => e.name === n && e.kind === 'firing')),
        // The plan is fetched on its own connection while the phase's slow queries run; the next
        // phase floods the pool, so it must be in before this phase ends.
        ...(phase.expectPlan && gw.pool && gw.telemetry.db.slowQueries({ limit: 1 })[0]?.plan === undefined ? ['an EXPLAIN plan'] : []),
      ];
      if (gw.telegramMode === 'fake' && !abort.signal.aborted && unseen().length > 0) {
        reporter.line(`         waiting up to ${PHASE_EXTENSION_MS / 1000} s more for ${unseen().join(', ')}`);
        const extendUntil = Date.now() + PHASE_EXTENSION_MS;
        while (!abort.signal.aborted && unseen().length > 0 && Date.now() < extendUntil) {
          await drive(gw, sockets, phase.load, Math.min(Date.now() + 500, extendUntil), abort.signal, stats);
        }
      }
      await faults?.();
    }
    // Let the last alerts resolve (their windows are a few seconds) under the last phase's load.
    const settleUntil = Date.now() + SETTLE_MS;
    const firing = (): boolean => gw.telemetry.alerts.active().some((a) => a.state === 'firing');
    if (!abort.signal.aborted && firing()) reporter.line(`SETTLE   waiting up to ${SETTLE_MS / 1000} s for the remaining alerts to resolve`);
    while (!abort.signal.aborted && firing() && Date.now() < settleUntil) {
      await drive(gw, sockets, phases[phases.length - 1].load, Math.min(Date.now() + 500, settleUntil), abort.signal, stats);
    }
    reporter.stop();
    const missing = expectedAlerts(scenario, { database: gw.pool !== undefined }).filter((n) => !reporter.events.some((e) => e.name === n && e.kind === 'firing'));
    io.stdout([
      '',
      `summary (${abort.signal.aborted ? 'stopped early' : 'scenario complete'}):`,
      `  telegram calls: ${stats.sent}, failed: ${stats.failed}; DC migrations: ${await counterTotal(gw, 'telegram.dc.migrations')}, flood waits: ${await counterTotal(gw, 'telegram.flood_waits')}`,
      ...slowQueryLines(gw),
      ...reporter.summary(),
      ...(missing.length > 0 && !abort.signal.aborted && gw.telegramMode === 'fake' ? [`  expected but not seen: ${missing.join(', ')}`] : []),
      '',
    ].join('\n'));
    return { exitCode: 0, events: reporter.events, scenario: scenario.name };
  } finally {
    done = true;
    reporter.stop();
    for (const s of sockets) s.terminate();
    await gw.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.stdout('shut down cleanly\n');
  }
}
