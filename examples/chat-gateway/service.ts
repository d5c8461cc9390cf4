import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelegramClient } from 'telegram';
import type { LogLevel } from 'telegram/extensions/Logger';
import { start, withRateLimit, type Telemetry } from '../../src/index';
import { FakeTelegram, type FakeDataCenter } from '../../src/testing/index';
import { demoConfig } from './config';
import { EMBEDDED_INSTALL_HINT, startEmbeddedPostgres } from './embedded-postgres';

/** Where the gateway's Telegram and PostgreSQL come from (the environment, by default). */
export interface GatewayOptions {
  env?: NodeJS.ProcessEnv;
  /** The embedded PostgreSQL's worker script (tests replace it). */
  embeddedPostgresWorker?: string;
}

/** Where the demo's database is: DATABASE_URL, the embedded PGlite, or none (with how to add it). */
export type DatabaseMode = 'postgres' | 'embedded' | 'not configured';

/** The table the demo's slow query scans; a few thousand rows, so the plan has something to say. */
const SCHEMA = `CREATE TABLE IF NOT EXISTS demo_messages (id serial PRIMARY KEY, chat_id int NOT NULL, body text NOT NULL);
INSERT INTO demo_messages (chat_id, body) SELECT i % 50, 'message ' || i FROM generate_series(1, 5000) AS i;`;

/** The slow query: a scan plus a sleep, over the 100 ms slow-query threshold; parameters keep values out of the plan. */
export const SLOW_QUERY = 'SELECT count(*) AS n, pg_sleep(0.25) FROM demo_messages WHERE body LIKE $1 AND chat_id = $2';

/** The fake Telegram network the gateway talks to when no real account is configured. */
export interface FakeNetwork {
  readonly telegram: FakeTelegram;
  /** DC 2 (home) and DC 4 (the migration target). */
  readonly dcs: readonly FakeDataCenter[];
}

/** The running chat gateway. */
export interface Gateway {
  readonly telemetry: Telemetry;
  /** Base URL of the HTTP API (also serves /health* and /metrics). */
  readonly url: string;
  readonly metricsUrl: string;
  readonly healthUrl: string;
  readonly telegramMode: 'fake' | 'real';
  readonly database: DatabaseMode;
  /** Why the database leg is off, when it is. */
  readonly databaseNote: string | undefined;
  /** The demo's pg pool (5 connections), when the database leg runs. */
  readonly pool: import('pg').Pool | undefined;
  readonly fake: FakeNetwork | undefined;
  readonly client: TelegramClient;
  /** One Telegram call the gateway makes for a chat message (a send on the fake DC, getMe on a real account). */
  telegramCall(text: string): Promise<void>;
  /** Closes the server, WebSocket clients, Telegram, the pool and telemetry. Safe to call twice. */
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/**
 * Starts the gateway the way the README tells users to: start() first, then the libraries it
 * instruments (loaded after start so the instrumentations patch them), then the servers.
 */
export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const env = opts.env ?? process.env;
  // The embedded database starts in its own thread meanwhile (a few seconds; more on a busy machine).
  const embeddedStarting = env.DATABASE_URL ? undefined : startEmbeddedPostgres(opts.embeddedPostgresWorker);
  embeddedStarting?.catch(() => undefined);
  const telemetry = await start(demoConfig());
  const http = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const { TelegramClient: Client, Api, Logger, sessions } = await import('telegram');
  const { StringSession } = sessions;

  // Telegram: a real account when all three variables are set, else the fake data centre.
  const real = Boolean(env.TELEGRAM_API_ID && env.TELEGRAM_API_HASH && env.TELEGRAM_SESSION);
  let fake: FakeNetwork | undefined;
  let client: TelegramClient;
  const quiet = { baseLogger: new Logger('none' as LogLevel), connectionRetries: 1 };
  if (real) {
    client = new Client(new StringSession(env.TELEGRAM_SESSION), Number(env.TELEGRAM_API_ID), String(env.TELEGRAM_API_HASH), quiet);
  } else {
    const telegram = new FakeTelegram();
    const dcs = [telegram.addDataCenter({ dcId: 2 }), telegram.addDataCenter({ dcId: 4 })];
    fake = { telegram, dcs };
    // No automatic reconnect: a dropped connection stays down until the recovery procedure repairs it.
    client = new Client(new StringSession(dcs[0].sessionString()), 1, 'demo-api-hash', {
      ...quiet, connection: telegram.Connection, autoReconnect: false,
    });
  }
  await client.connect();
  telemetry.recovery.register('telegram.reconnect', async (ctx) => {
    await ctx.step('close', () => client.disconnect());
    await ctx.step('reconnect', async () => {
      // Retried with a doubling delay until the DC answers or the run times out.
      for (let attempt = 1, waitMs = 250; ; attempt++, waitMs = Math.min(waitMs * 2, 2000)) {
        try {
          await client.connect();
          if (client.connected) return;
        } catch (err) {
          if (ctx.signal.aborted || attempt >= 8) throw err;
        }
        if (ctx.signal.aborted || attempt >= 8) throw new Error('still not connected');
        await client.disconnect().catch(() => undefined);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    });
    await ctx.step('verify', async () => { await client.invoke(new Api.help.GetConfig()); });
  });

  // PostgreSQL: DATABASE_URL when set, else the embedded PGlite when its packages are installed.
  let pool: import('pg').Pool | undefined;
  let database: DatabaseMode = 'not configured';
  let databaseNote: string | undefined;
  const embedded = await embeddedStarting;
  const connectionString = env.DATABASE_URL ?? embedded?.url;
  if (connectionString) {
    const { Pool } = await import('pg');
    // Named host:port/database from the connection string (db.client.connection.pool.name); its
    // /health check, database:<that name>, is registered by pulseguard at the first query.
    const pgPool = new Pool({ connectionString, max: 5 });
    pgPool.on('error', () => undefined);
    pool = pgPool;
    database = env.DATABASE_URL ? 'postgres' : 'embedded';
    await (embedded ? pgPool.query(SCHEMA) : pgPool.query('SELECT 1').catch(() => undefined));
  } else {
    databaseNote = `the embedded PostgreSQL is not installed (${EMBEDDED_INSTALL_HINT}, or set DATABASE_URL)`;
    telemetry.health.register('database', () => ({ status: 'pass', output: `not configured: ${databaseNote}` }), { critical: false });
  }

  const api = withRateLimit((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/api/status') {
      json(res, 200, { ok: true, websocketClients: wss.clients.size, telegram: client.connected ? 'connected' : 'down' });
    } else if (req.method === 'POST' && req.url === '/api/messages') {
      req.resume();
      gateway.telegramCall('from the API').then(() => json(res, 202, { queued: true }), () => json(res, 502, { error: 'telegram unavailable' }));
    } else {
      json(res, 404, { error: 'not found' });
    }
  }, { limits: telemetry.limits });

  const server: Server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/health')) return telemetry.health.handler(req, res);
    if (url === '/metrics' && telemetry.metricsHandler) return telemetry.metricsHandler(req, res);
    api(req, res);
  });
  const wss = new WebSocketServer({ server });
  let nextClient = 0;
  wss.on('connection', (socket) => {
    const clientId = `client-${++nextClient}`;
    socket.on('message', (data) => {
      void telemetry.limits.consume('chat.messages', clientId).then((d) => {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(d.allowed ? JSON.stringify({ ack: data.toString().length }) : JSON.stringify({ error: 'rate_limited', retryAfter: d.retryAfterSeconds }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let sent = 0;
  let closed: Promise<void> | undefined;
  const gateway: Gateway = {
    telemetry, url, fake, client,
    metricsUrl: telemetry.metricsHandler ? `${url}/metrics` : (telemetry.metricsUrl ?? 'disabled'),
    healthUrl: `${url}/health`,
    telegramMode: real ? 'real' : 'fake',
    database, databaseNote, pool,
    async telegramCall(text) {
      if (real) await client.getMe();
      else await client.sendMessage('me', { message: `${text} #${++sent}` });
      if (pool) await pool.query('SELECT 1');
    },
    close() {
      closed ??= (async () => {
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await client.destroy().catch(() => undefined);
        fake?.telegram.close();
        await pool?.end();
        await embedded?.close();
        await telemetry.shutdown();
      })();
      return closed;
    },
  };
  return gateway;
}
