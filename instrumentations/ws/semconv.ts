/**
 * Names used by the `ws` instrumentation. Metric names are listed in
 * docs/metrics.md; Prometheus shows dots as underscores and adds `_total` to counters.
 */

/** Open WebSocket connections (up-down counter, `{connection}`), by ws.role. */
export const METRIC_WS_CONNECTIONS_ACTIVE = 'websocket.connections.active' as const;
/** Connection attempts by ws.role, outcome (accepted/rejected) and reason. */
export const METRIC_WS_CONNECTIONS_OPENED = 'websocket.connections.opened' as const;
/** Closed connections by ws.role and websocket.close.code. */
export const METRIC_WS_CONNECTIONS_CLOSED = 'websocket.connections.closed' as const;
/** Connection lifetime in seconds, by ws.role. */
export const METRIC_WS_CONNECTION_DURATION = 'websocket.connection.duration' as const;
/** Messages by ws.role, network.io.direction and websocket.message.type. */
export const METRIC_WS_MESSAGES = 'websocket.messages' as const;
/** Message payload size in bytes, by ws.role and network.io.direction. */
export const METRIC_WS_MESSAGE_SIZE = 'websocket.message.size' as const;
/** Message latency in seconds: server handler time, or a request/ack round trip. */
export const METRIC_WS_MESSAGE_LATENCY = 'websocket.message.latency' as const;
/** Ping/pong round trip in seconds, by ws.role. */
export const METRIC_WS_PING_RTT = 'websocket.ping.rtt' as const;
/** Errors by ws.role and error.type (a closed set, see {@link WS_ERROR_TYPES}). */
export const METRIC_WS_ERRORS = 'websocket.errors' as const;
/** Reconnect attempts made by `reconnectWithBackoff`, by outcome. */
export const METRIC_WS_RECONNECTS = 'websocket.reconnects' as const;
/** Distinct users with at least one open server connection (the spec's activeUsers); no user id is exported. */
export const METRIC_WS_USERS_ACTIVE = 'websocket.users.active' as const;

/** server or client. */
export const ATTR_WS_ROLE = 'ws.role' as const;
/** accepted / rejected (connections), success / failure (reconnects). */
export const ATTR_OUTCOME = 'outcome' as const;
/** Why a connection was rejected (closed set, see {@link WS_REJECT_REASONS}). */
export const ATTR_REASON = 'reason' as const;
/** The close code of a closed connection. */
export const ATTR_WS_CLOSE_CODE = 'websocket.close.code' as const;
/** The close reason (spans only, never a metric attribute). */
export const ATTR_WS_CLOSE_REASON = 'websocket.close.reason' as const;
/** receive / transmit (stable OTel attribute name). */
export const ATTR_NETWORK_IO_DIRECTION = 'network.io.direction' as const;
/** text / binary. */
export const ATTR_WS_MESSAGE_TYPE = 'websocket.message.type' as const;
/** handler (server handler time) / round_trip (request/ack by correlation id). */
export const ATTR_WS_LATENCY_KIND = 'websocket.latency.kind' as const;
/** A documented error code (stable OTel attribute name). */
export const ATTR_ERROR_TYPE = 'error.type' as const;
/** Attempt number of a reconnect span (1-based). */
export const ATTR_WS_RECONNECT_ATTEMPT = 'websocket.reconnect.attempt' as const;

export const ROLE_VALUE_SERVER = 'server' as const;
export const ROLE_VALUE_CLIENT = 'client' as const;
export const DIRECTION_VALUE_RECEIVE = 'receive' as const;
export const DIRECTION_VALUE_TRANSMIT = 'transmit' as const;
export const MESSAGE_TYPE_VALUE_TEXT = 'text' as const;
export const MESSAGE_TYPE_VALUE_BINARY = 'binary' as const;
export const OUTCOME_VALUE_ACCEPTED = 'accepted' as const;
export const OUTCOME_VALUE_REJECTED = 'rejected' as const;
export const OUTCOME_VALUE_SUCCESS = 'success' as const;
export const OUTCOME_VALUE_FAILURE = 'failure' as const;
export const LATENCY_KIND_VALUE_HANDLER = 'handler' as const;
export const LATENCY_KIND_VALUE_ROUND_TRIP = 'round_trip' as const;

/** Reasons a connection is refused at upgrade (server) or fails to open (client). */
export const REASON_VALUE_NONE = 'none' as const;
export const REASON_VALUE_TOO_MANY_CONNECTIONS = 'too_many_connections' as const;
export const REASON_VALUE_TOO_MANY_USER_CONNECTIONS = 'too_many_user_connections' as const;
export const REASON_VALUE_CONNECTION_RATE = 'connection_rate' as const;
export const REASON_VALUE_HANDSHAKE_FAILED = 'handshake_failed' as const;
export const REASON_VALUE_CONNECT_FAILED = 'connect_failed' as const;
export const REASON_VALUE_HTTP_429 = 'http_429' as const;
export const REASON_VALUE_HTTP_503 = 'http_503' as const;

/** Every reject reason (metric series are pre-created at 0). */
export const WS_REJECT_REASONS = [
  REASON_VALUE_TOO_MANY_CONNECTIONS,
  REASON_VALUE_TOO_MANY_USER_CONNECTIONS,
  REASON_VALUE_CONNECTION_RATE,
  REASON_VALUE_HANDSHAKE_FAILED,
  REASON_VALUE_CONNECT_FAILED,
  REASON_VALUE_HTTP_429,
  REASON_VALUE_HTTP_503,
] as const;

/** pulseguard's own error types; the rest of the closed set is ws's `WS_ERR_*` codes and socket codes. */
export const ERROR_TYPE_VALUE_MESSAGE_RATE_LIMITED = 'message_rate_limited' as const;
export const ERROR_TYPE_VALUE_MESSAGE_TOO_BIG = 'message_too_big' as const;
export const ERROR_TYPE_VALUE_PING_TIMEOUT = 'ping_timeout' as const;
export const ERROR_TYPE_VALUE_HANDLER_ERROR = 'handler_error' as const;
export const ERROR_TYPE_VALUE_OTHER = '_OTHER' as const;

/** The closed set of `error.type` values (anything else is reported as `_OTHER`). */
export const WS_ERROR_TYPES = [
  ERROR_TYPE_VALUE_MESSAGE_RATE_LIMITED,
  ERROR_TYPE_VALUE_MESSAGE_TOO_BIG,
  ERROR_TYPE_VALUE_PING_TIMEOUT,
  ERROR_TYPE_VALUE_HANDLER_ERROR,
  'WS_ERR_EXPECTED_FIN',
  'WS_ERR_EXPECTED_MASK',
  'WS_ERR_INVALID_CLOSE_CODE',
  'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
  'WS_ERR_INVALID_OPCODE',
  'WS_ERR_INVALID_UTF8',
  'WS_ERR_TOO_MANY_BUFFERED_PARTS',
  'WS_ERR_UNEXPECTED_MASK',
  'WS_ERR_UNEXPECTED_RSV_1',
  'WS_ERR_UNEXPECTED_RSV_2_3',
  'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH',
  'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  ERROR_TYPE_VALUE_OTHER,
] as const;

/** Close codes pulseguard sends when a guard refuses a message. */
export const CLOSE_CODE_POLICY_VIOLATION = 1008;
export const CLOSE_CODE_MESSAGE_TOO_BIG = 1009;

/** Span names. */
export const SPAN_WS_UPGRADE = 'websocket upgrade' as const;
export const SPAN_WS_CLOSE = 'websocket close' as const;
export const SPAN_WS_RECEIVE = 'websocket receive' as const;
export const SPAN_WS_SEND = 'websocket send' as const;
export const SPAN_WS_RECONNECT = 'websocket reconnect' as const;

/** The instrumentation's name and the component name of its contained faults. */
export const WS_INSTRUMENTATION_NAME = 'pulseguard-instrumentation-ws' as const;
export const WS_COMPONENT = 'instrumentation.ws' as const;
