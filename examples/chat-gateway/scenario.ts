/**
 * The demo's scenario as data: phases in order, each with a share of the run's duration and the
 * load it drives. The driver (main.ts) reads these; nothing here touches the service directly.
 */

/** What one phase drives. */
export interface PhaseLoad {
  /** WebSocket messages per second, spread over the demo's clients. */
  wsMessagesPerSecond: number;
  /** HTTP API requests per second (GET /api/status and POST /api/messages). */
  apiRequestsPerSecond: number;
  /** Telegram sends per second through the gateway. */
  telegramSendsPerSecond: number;
  /** The fake DC answers sends with FLOOD_WAIT_1 (GramJS sleeps it off). */
  floodWaits?: boolean;
  /** The next Telegram call is answered with NETWORK_MIGRATE to the other DC. */
  migrateDc?: boolean;
  /** Extra latency the fake DC adds to every send, in ms. */
  telegramLatencyMs?: number;
  /** Drops the Telegram connection when the phase starts; recovery must repair it. */
  dropTelegram?: boolean;
  /** How long the DCs refuse connections after the drop, in ms. @default 2000 */
  unreachableMs?: number;
  /** Slow queries per second on the database leg (each holds a pool connection for 250 ms). */
  dbSlowQueriesPerSecond?: number;
}

/** One phase of the scenario. */
export interface Phase {
  readonly name: string;
  /** Share of the run's duration (the shares of a scenario add up to 1). */
  readonly share: number;
  /** What to show, printed as the phase's progress line. */
  readonly description: string;
  readonly load: PhaseLoad;
  /** Alerts this phase is meant to make fire (the test checks them). */
  readonly expectAlerts?: readonly string[];
  /** This phase is meant to get a slow query's EXPLAIN plan (database leg only). */
  readonly expectPlan?: boolean;
}

/** A named scenario. */
export interface Scenario {
  readonly name: string;
  readonly defaultDurationMs: number;
  readonly phases: readonly Phase[];
}

// 1.5 API requests/s stays under api.standard (100 per minute per client IP): the demo's client is one IP.
const calm: PhaseLoad = { wsMessagesPerSecond: 10, apiRequestsPerSecond: 1.5, telegramSendsPerSecond: 2 };

const DEFAULT_PHASES: readonly Phase[] = [
  { name: 'normal', share: 0.1, description: 'normal traffic: WebSocket chat, API calls, Telegram sends', load: calm },
  {
    name: 'burst', share: 0.15, description: 'message burst: WebSocket message rate and rate limits tripped',
    load: { ...calm, wsMessagesPerSecond: 150 }, expectAlerts: ['WebSocketMessageRateHigh', 'HighThrottleRate'],
  },
  {
    name: 'flood', share: 0.15, description: 'flood waits and a DC migration from the fake data centre',
    load: { ...calm, floodWaits: true, migrateDc: true }, expectAlerts: ['TelegramFloodWaitsHigh'],
  },
  {
    name: 'latency', share: 0.15, description: 'latency spike: the fake DC answers sends slowly',
    load: { ...calm, telegramLatencyMs: 800 }, expectAlerts: ['TelegramRpcLatencyHigh'],
  },
  {
    name: 'slow', share: 0.05, description: 'slow queries on the database: caught with their EXPLAIN plan',
    load: { ...calm, dbSlowQueriesPerSecond: 2 }, expectPlan: true,
  },
  {
    name: 'pool', share: 0.1, description: 'more slow queries than the pool has connections: callers wait',
    load: { ...calm, dbSlowQueriesPerSecond: 12 }, expectAlerts: ['DbPoolWaitingHigh'],
  },
  {
    name: 'drop', share: 0.15, description: 'dropped Telegram connection: recovery reconnects it',
    load: { ...calm, telegramSendsPerSecond: 0, dropTelegram: true }, expectAlerts: ['TelegramDisconnected'],
  },
  { name: 'calm', share: 0.15, description: 'back to normal: alerts resolve', load: calm },
];

const phase = (name: string): Phase => DEFAULT_PHASES.find((p) => p.name === name) as Phase;

/** The scenarios `--scenario` accepts. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  default: { name: 'default', defaultDurationMs: 60_000, phases: DEFAULT_PHASES },
  // The same story, compressed: for the test and a quick look (the rules' windows are short enough).
  short: {
    name: 'short',
    defaultDurationMs: 20_000,
    phases: [
      { ...phase('burst'), share: 0.2 },
      { ...phase('flood'), share: 0.2 },
      { ...phase('slow'), share: 0.1 },
      { ...phase('pool'), share: 0.15 },
      { ...phase('drop'), share: 0.2 },
      { ...phase('calm'), share: 0.15 },
    ],
  },
};

/** Alerts of the database leg, expected only when it runs. */
export const DATABASE_ALERTS: readonly string[] = ['DbPoolWaitingHigh'];

/** Every alert a scenario is meant to fire (without the database leg's when there is no database). */
export function expectedAlerts(scenario: Scenario, opts: { database?: boolean } = {}): string[] {
  const all = [...new Set(scenario.phases.flatMap((p) => p.expectAlerts ?? []))];
  return opts.database === false ? all.filter((n) => !DATABASE_ALERTS.includes(n)) : all;
}
