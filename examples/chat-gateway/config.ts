import { defineConfig, type PulseguardConfigInput, type RuleInput } from '../../src/index';

/**
 * The demo's own rules: the catalogue's names with windows of seconds instead of minutes, so a
 * one-minute run shows each alert fire and resolve. Rules named like a default replace it.
 */
export const DEMO_RULES: RuleInput[] = [
  {
    name: 'WebSocketMessageRateHigh', metric: 'websocket.messages', statistic: 'rate', window: '5s',
    filter: { 'network.io.direction': 'receive' }, warning: 50, critical: 100, keepFiringFor: '2s',
    labels: { area: 'websocket' }, annotations: { summary: '{{value}} messages/s received (threshold {{threshold}})' },
  },
  {
    name: 'HighThrottleRate', metric: 'ratelimit.decisions', statistic: 'ratio', window: '5s',
    filter: { outcome: 'throttled' }, denominator: 'ratelimit.decisions', groupBy: ['ratelimit.policy'], warning: 0.1,
    labels: { area: 'ratelimit' }, annotations: { summary: '{{value}} of {{labels.ratelimit.policy}} throttled' },
  },
  {
    name: 'ConnectionDropsHigh', metric: 'websocket.connections.closed', statistic: 'increase', window: '5s',
    filter: { 'ws.role': 'server', 'websocket.close.code': '!~1000|1001' }, warning: 2,
    labels: { area: 'websocket' }, annotations: { summary: '{{value}} WebSocket connections dropped in 5 s' },
  },
  {
    name: 'TelegramFloodWaitsHigh', metric: 'telegram.flood_waits', statistic: 'increase', window: '6s', warning: 1,
    labels: { area: 'telegram' }, annotations: { summary: '{{value}} flood waits in 6 s' },
  },
  {
    name: 'TelegramRpcLatencyHigh', metric: 'telegram.rpc.duration', statistic: 'p95', window: '5s', scale: 1000,
    filter: { 'rpc.method': 'messages.SendMessage' }, warning: 500, critical: 2000, for: '1s',
    labels: { area: 'telegram' }, annotations: { summary: 'p95 {{value}} ms for SendMessage' },
  },
  {
    name: 'TelegramDisconnected', metric: 'telegram.connection.state', statistic: 'last', comparison: '<', critical: 1,
    for: '1s', recovery: 'telegram.reconnect',
    labels: { area: 'telegram' }, annotations: { summary: 'Telegram connection down' },
  },
];

/** Default rules the demo's load would trip but that could not resolve within the run. */
export const DEMO_DISABLED_RULES = [
  'TelegramMessageFailuresHigh', 'ApiLatencyMaxHigh', 'PerformanceDegraded',
  'WebSocketDisconnectRateHigh', 'WebSocketReconnectRateHigh', 'TelegramDcLatencyHigh',
];

/** pulseguard's configuration for the demo: free ports, a 1 s evaluation interval, quiet logs. */
export function demoConfig(): PulseguardConfigInput {
  return defineConfig({
    service: { name: 'chat-gateway', environment: 'demo' },
    logging: { level: 'silent' },
    exporters: { prometheus: { port: 0, host: '127.0.0.1' } },
    // Every level notifies the log channel (quiet here: logging is silent), so the notification
    // pipeline and pulseguard.alert.notifications run in the demo without a Slack or SMTP account.
    alerting: { groupWaitMs: 1000, groupIntervalMs: 5000, matrix: { high: { channels: ['log'] }, medium: { channels: ['log'] } } },
    rules: {
      evaluationIntervalMs: 1000,
      custom: DEMO_RULES,
      // Spec rules whose windows (5 min to 1 h) would keep them firing long after a one-minute demo.
      disable: DEMO_DISABLED_RULES,
    },
    // The demo opts in to the WebSocket guards (off by default: pulseguard only observes).
    instrumentations: { ws: { guards: true } },
    rateLimits: {
      policies: {
        // pulseguard's WebSocket guard: more than 100 messages in 5 s closes the connection (1008).
        'websocket.messages': { points: 100, durationMs: 5000 },
        // The app's own limit per chat client, consumed by the gateway: over it, messages are refused.
        'chat.messages': { points: 40, durationMs: 5000 },
      },
    },
  });
}
