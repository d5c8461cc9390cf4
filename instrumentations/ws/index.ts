export { WsInstrumentation, createWsInstrumentation } from './instrumentation';
export { DEFAULT_WS_CONFIG } from './tracker-options';
export { wsConfigFromPulseguard } from './from-config';
export { ReconnectError, DEFAULT_RECONNECT } from './reconnect';
export { backoffDelay } from './utils';
export {
  METRIC_WS_CONNECTIONS_ACTIVE, METRIC_WS_CONNECTIONS_OPENED, METRIC_WS_CONNECTIONS_CLOSED, METRIC_WS_CONNECTION_DURATION,
  METRIC_WS_MESSAGES, METRIC_WS_MESSAGE_SIZE, METRIC_WS_MESSAGE_LATENCY, METRIC_WS_PING_RTT, METRIC_WS_ERRORS,
  METRIC_WS_RECONNECTS, METRIC_WS_USERS_ACTIVE, WS_ERROR_TYPES, WS_REJECT_REASONS,
} from './semconv';
export type {
  WsInstrumentationConfig, WsLimits, WsHealthSnapshot, WsUserKeyFn, WsCorrelationIdFn,
  ReconnectOptions, WebSocketTelemetry,
} from './types';
