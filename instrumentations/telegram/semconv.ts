/**
 * Names used by the Telegram (GramJS) instrumentation. Metric names are listed in
 * docs/metrics.md; Prometheus shows dots as underscores and adds `_total` to counters.
 */

/** RPC duration per call (retries and silent flood sleeps included), seconds. */
export const METRIC_TELEGRAM_RPC_DURATION = 'telegram.rpc.duration' as const;
/**
 * Latency of each call as Telegram and the network gave it, seconds: the duration without the
 * flood waits GramJS slept, and without calls that waited through a reconnect (their duration is
 * the outage). What TelegramRpcLatencyHigh and /health/telegram's messageLatency judge.
 */
export const METRIC_TELEGRAM_RPC_LATENCY = 'telegram.rpc.latency' as const;
/** RPC errors per attempt, by method and raw error family. */
export const METRIC_TELEGRAM_RPC_ERRORS = 'telegram.rpc.errors' as const;
/** Every flood wait received, by method, kind and how it was handled. */
export const METRIC_TELEGRAM_FLOOD_WAITS = 'telegram.flood_waits' as const;
/** The seconds each flood wait demanded. */
export const METRIC_TELEGRAM_FLOOD_WAIT_DURATION = 'telegram.flood_wait.duration' as const;
/** DC migrations (`_switchDC`). */
export const METRIC_TELEGRAM_DC_MIGRATIONS = 'telegram.dc.migrations' as const;
/** Round trip per DC from keep-alive pings and probes, seconds. */
export const METRIC_TELEGRAM_DC_RTT = 'telegram.dc.rtt' as const;
/** Updates received, by type. */
export const METRIC_TELEGRAM_UPDATES = 'telegram.updates' as const;
/** Seconds since the last update (staleness of the update stream). */
export const METRIC_TELEGRAM_UPDATES_AGE = 'telegram.updates.age' as const;
/** 1 when a connection to the DC is up, 0 when not. */
export const METRIC_TELEGRAM_CONNECTION_STATE = 'telegram.connection.state' as const;
/** Reconnects of the MTProto sender, by reason. */
export const METRIC_TELEGRAM_RECONNECTS = 'telegram.reconnects' as const;
/** Session errors (the authorization itself is in trouble), by code. */
export const METRIC_TELEGRAM_SESSION_ERRORS = 'telegram.session.errors' as const;
/** Telegram RPC calls outstanding, by method class. */
export const METRIC_TELEGRAM_RPC_IN_FLIGHT = 'telegram.rpc.in_flight' as const;
/** Age of the oldest outstanding Telegram RPC call, by method class, seconds. */
export const METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE = 'telegram.rpc.in_flight.age' as const;
/** Delay between an update's own date and its arrival, seconds. */
export const METRIC_TELEGRAM_UPDATES_DELAY = 'telegram.updates.delay' as const;
/** Round trip of each upload part (upload.SaveFilePart / SaveBigFilePart), seconds. */
export const METRIC_TELEGRAM_UPLOAD_PART_DURATION = 'telegram.upload.part.duration' as const;
/** Duration of each run of an update handler the app registered (addEventHandler / client.on), by update type, seconds. */
export const METRIC_TELEGRAM_UPDATE_HANDLER_DURATION = 'telegram.update.handler.duration' as const;
/** Errors that mean the account is limited by Telegram (PEER_FLOOD, FROZEN_*), by code. */
export const METRIC_TELEGRAM_ACCOUNT_LIMITS = 'telegram.account.limits' as const;
// The send guard decides through the rate limiter: its names are written once, in src/limits.
export { METRIC_RATELIMIT_DECISIONS, METRIC_RATELIMIT_QUEUE_WAIT, ATTR_RATELIMIT_POLICY } from '../../src/limits/semconv';

/** The TL name of the request, e.g. `messages.SendMessage` (`_other` beyond the bounded set). */
export const ATTR_RPC_METHOD = 'rpc.method' as const;
/** Always `telegram`. */
export const ATTR_RPC_SYSTEM = 'rpc.system' as const;
/** DC id the request went to. */
export const ATTR_TELEGRAM_DC = 'telegram.dc' as const;
/** Error family of a failed call (FLOOD_WAIT, PHONE_MIGRATE, TIMEOUT, ...), absent on success. */
export const ATTR_ERROR_TYPE = 'error.type' as const;
/** Raw RPC error family: the message without its number (FLOOD_WAIT_3 -> FLOOD_WAIT). */
export const ATTR_TELEGRAM_ERROR = 'telegram.error' as const;
/** Class of an RPC method: its TL namespace (messages, upload, users...), `core` for top-level methods. */
export const ATTR_TELEGRAM_METHOD_CLASS = 'telegram.method.class' as const;
/** The alias the app gave an account (`telemetry.telegram.account(client, alias)`); never a phone or user id. */
export const ATTR_TELEGRAM_ACCOUNT = 'telegram.account' as const;
/** FLOOD_WAIT, FLOOD_PREMIUM_WAIT or SLOWMODE_WAIT. */
export const ATTR_TELEGRAM_FLOOD_KIND = 'telegram.flood.kind' as const;
/** auto_sleep, upload_sleep or raised. */
export const ATTR_TELEGRAM_FLOOD_HANDLING = 'telegram.flood.handling' as const;
/** Seconds demanded by a flood wait (span events only). */
export const ATTR_TELEGRAM_FLOOD_SECONDS = 'telegram.flood.seconds' as const;
/** DC a migration left. */
export const ATTR_TELEGRAM_DC_FROM = 'telegram.dc.from' as const;
/** DC a migration went to. */
export const ATTR_TELEGRAM_DC_TO = 'telegram.dc.to' as const;
/** Why a migration or reconnect happened. */
export const ATTR_REASON = 'reason' as const;
/** TL class name of an update (UpdateNewMessage, UpdatesTooLong, ...). */
export const ATTR_TELEGRAM_UPDATE_TYPE = 'telegram.update.type' as const;
/** 1-based attempt number (span events). */
export const ATTR_TELEGRAM_ATTEMPT = 'telegram.attempt' as const;
/** Outcome of an attempt: `ok` or the raw RPC error message (span events). */
export const ATTR_TELEGRAM_ATTEMPT_OUTCOME = 'telegram.attempt.outcome' as const;

/** Name of the span around one run of an app's update handler (CONSUMER; when spans are on). */
export const SPAN_UPDATE_HANDLER = 'telegram.update.handler' as const;

/** Span event emitted once per attempt of an RPC. */
export const EVENT_ATTEMPT = 'telegram.attempt' as const;
/** Span event emitted when GramJS sleeps on a flood wait before retrying. */
export const EVENT_FLOOD_SLEEP = 'telegram.flood_sleep' as const;

/** Flood kinds. */
export const FLOOD_KIND_VALUE_FLOOD_WAIT = 'FLOOD_WAIT' as const;
export const FLOOD_KIND_VALUE_FLOOD_PREMIUM_WAIT = 'FLOOD_PREMIUM_WAIT' as const;
export const FLOOD_KIND_VALUE_SLOWMODE_WAIT = 'SLOWMODE_WAIT' as const;
/** Flood handling values. */
export const FLOOD_HANDLING_VALUE_AUTO_SLEEP = 'auto_sleep' as const;
export const FLOOD_HANDLING_VALUE_UPLOAD_SLEEP = 'upload_sleep' as const;
export const FLOOD_HANDLING_VALUE_RAISED = 'raised' as const;
/** Reconnect reasons. */
export const RECONNECT_REASON_VALUE_CONNECTION_LOST = 'connection_lost' as const;
export const RECONNECT_REASON_VALUE_KEEPALIVE_TIMEOUT = 'keepalive_timeout' as const;
export const RECONNECT_REASON_VALUE_RECOVERY = 'recovery' as const;
/** telegram.method.class of methods without a namespace (Ping, InvokeWithLayer). */
export const METHOD_CLASS_VALUE_CORE = 'core' as const;
/** telegram.account beyond the bounded number of aliases. */
export const ACCOUNT_VALUE_OTHER = '_other' as const;
/** telegram.update.type beyond the bounded set of update type names. */
export const UPDATE_TYPE_VALUE_OTHER = '_other' as const;
/** rpc.method for names outside the bounded set. */
export const RPC_METHOD_VALUE_OTHER = '_other' as const;
/** `rpc.system` value. */
export const RPC_SYSTEM_VALUE_TELEGRAM = 'telegram' as const;
/** Migration reason when `_switchDC` was called without a migrate error. */
export const MIGRATION_REASON_VALUE_MANUAL = 'manual' as const;

/** Error kinds (decision classes of {@link classifyError}; docs/telegram.md "Decision rules"). */
export const ERROR_KIND_VALUE_SESSION = 'session' as const;
export const ERROR_KIND_VALUE_NETWORK = 'network' as const;
export const ERROR_KIND_VALUE_SERVER = 'server' as const;
export const ERROR_KIND_VALUE_FLOOD = 'flood' as const;
export const ERROR_KIND_VALUE_LIMITED = 'limited' as const;
export const ERROR_KIND_VALUE_MIGRATE = 'migrate' as const;
export const ERROR_KIND_VALUE_REQUEST = 'request' as const;
/** One of the ERROR_KIND_VALUE_* values. */
export type TelegramErrorKind =
  | typeof ERROR_KIND_VALUE_SESSION | typeof ERROR_KIND_VALUE_NETWORK | typeof ERROR_KIND_VALUE_SERVER | typeof ERROR_KIND_VALUE_FLOOD
  | typeof ERROR_KIND_VALUE_LIMITED | typeof ERROR_KIND_VALUE_MIGRATE | typeof ERROR_KIND_VALUE_REQUEST;
/** Kinds that say something about the session or the connection: only these count toward failover. */
export const ROTATION_ERROR_KINDS: ReadonlySet<TelegramErrorKind> = new Set([ERROR_KIND_VALUE_SESSION, ERROR_KIND_VALUE_NETWORK, ERROR_KIND_VALUE_SERVER]);
/**
 * Errors that mean the account is limited by Telegram (spam limits, a frozen account), not
 * that the network is slow: PEER_FLOOD and the FROZEN_* family (FROZEN_METHOD_INVALID...).
 */
export const LIMITED_ERROR_CODES: ReadonlySet<string> = new Set(['PEER_FLOOD', 'FROZEN_METHOD_INVALID', 'FROZEN_PARTICIPANT_MISSING']);

/**
 * Session error code for the transport error -404 (the server forgot the auth key), which
 * GramJS reports only as UpdateConnectionState.broken while calls hang.
 */
export const SESSION_ERROR_VALUE_TRANSPORT_404 = 'TRANSPORT_ERROR_404' as const;
/** Session error codes (the authorization is in trouble; recovery or failover applies). */
export const SESSION_ERROR_CODES: ReadonlySet<string> = new Set([
  'AUTH_KEY_UNREGISTERED', 'AUTH_KEY_INVALID', 'AUTH_KEY_PERM_EMPTY', 'AUTH_KEY_DUPLICATED', 'SESSION_REVOKED',
  'SESSION_EXPIRED', 'USER_DEACTIVATED', 'USER_DEACTIVATED_BAN', SESSION_ERROR_VALUE_TRANSPORT_404,
]);
