export { createHealth } from './create-health';
export type { CreateHealthOptions } from './create-health';
export { HealthRegistry } from './health-registry';
export { CheckRunner } from './check-runner';
export type { RunOutcome, CheckRunnerOptions } from './check-runner';
export { ConnectionMonitor, API_LATENCY_CHECK } from './connection-monitor';
export type {
  ConnectionKind, ConnectionStatus, ConnectionMetrics, LatencyMetrics, ConnectionHealthReport, ConnectionProbe,
  ConnectionThresholds, WatchOptions,
} from './connection-monitor';
export { HEALTH_JSON_CONTENT_TYPE, toCheckStatus, aggregateState, toHealthJson, httpStatusOf } from './health-json';
export type { HealthJsonCheck } from './health-json';
export { HEALTH_ROUTES, createHttpHandler } from './http-handler';
export type { HealthRoute } from './http-handler';
export { startHealthServer } from './standalone-server';
export type { HealthServer } from './standalone-server';
export { closeWebSocketServers, WS_CLOSE_GOING_AWAY } from './graceful-shutdown';
export type { ClosableWebSocketServer, ClosableWebSocket } from './graceful-shutdown';
export type {
  Health, HealthCheck, CheckResult, CheckStatus, HealthState, RegisterOptions, CheckOutcome, HealthReport, HealthErrorCode,
  ComponentName, ComponentReport, ComponentReportProvider, ComponentOutcome, DecidedBy, Judgement, HealthRequestHandler, ShutdownHook,
} from './types';
