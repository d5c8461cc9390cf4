import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** What a hook sees about a finished RPC call (no user data: method, DC, outcome). */
export interface TelegramRpcInfo {
  /** TL name, e.g. `messages.SendMessage` (`_other` outside the bounded set). */
  method: string;
  /** DC the call went to. */
  dc: number;
  /** Attempts made (a silently slept flood wait makes 2). */
  attempts: number;
  /** Error family on failure (FLOOD_WAIT, AUTH_KEY_UNREGISTERED...), undefined on success. */
  error: string | undefined;
  /** Duration in seconds, sleeps included. */
  durationSeconds: number;
  /** Seconds GramJS slept on flood waits inside this call (part of durationSeconds). */
  floodSleepSeconds: number;
  /**
   * The client's connection was re-established while the call waited (an outage, a migration):
   * its duration measures the outage, so health latency (the monitor's average, `messageLatency`)
   * leaves it out. `telegram.rpc.duration` still records it as the app saw it.
   */
  reconnected: boolean;
  /**
   * Decision class of the error (session, network, server, flood, limited, migrate, request),
   * undefined on success. See docs/telegram.md "Decision rules".
   */
  errorKind: string | undefined;
  /** The account alias the app gave the client (`telemetry.telegram.account()`), if any. */
  account: string | undefined;
}

/** A session-level error the instrumentation saw, for the session monitor. */
export interface TelegramSessionErrorInfo {
  /** The code: AUTH_KEY_UNREGISTERED, SESSION_REVOKED, USER_DEACTIVATED_BAN, AUTH_KEY_DUPLICATED... */
  code: string;
  /** RPC error code (401, 406). */
  rpcCode: number;
  method: string;
}

/** Configuration of {@link TelegramInstrumentation}. */
export interface TelegramInstrumentationConfig extends InstrumentationConfig {
  /** Create a span per RPC call (metrics are always recorded). @default true */
  spans?: boolean;
  /** Count keep-alive pings as DC round trips. @default true */
  pingRtt?: boolean;
  /** Bound on distinct `rpc.method` values before folding into `_other`. @default 256 */
  maxMethods?: number;
  /** Called after every RPC call; runs contained (a throw is counted, never propagated). @default undefined */
  onRpc?: (info: TelegramRpcInfo) => void;
  /** Called on every session error; runs contained. @default undefined */
  onSessionError?: (info: TelegramSessionErrorInfo) => void;
}

/** Defaults merged in the constructor and in setConfig. */
export const DEFAULT_CONFIG: Required<Pick<TelegramInstrumentationConfig, 'spans' | 'pingRtt' | 'maxMethods'>> = {
  spans: true,
  pingRtt: true,
  maxMethods: 256,
};
