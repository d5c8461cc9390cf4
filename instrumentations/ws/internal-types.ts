import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Span, SpanContext } from '@opentelemetry/api';
import type { RoleHandles } from './metrics/base-collector';
import type { WsGuards } from './guards';

/** An object pulseguard keeps its own state on, under Symbol keys. @internal */
export type Keyed<T> = T & Record<symbol, unknown>;

/** The parts of ws's `WebSocket` the instrumentation touches (ws 8.x, lib/websocket.js). @internal */
export interface WsSocketInternals {
  readonly _isServer: boolean;
  readonly readyState: number;
  /** ws's Sender, created by setSocket (frame-size.ts sizes string sends there). */
  readonly _sender?: unknown;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  send(data: unknown, options?: unknown, cb?: unknown): void;
  ping(data?: unknown, mask?: boolean, cb?: unknown): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  setSocket(socket: Duplex, head: Buffer, options: unknown): void;
}

/** The parts of ws's `WebSocketServer` the instrumentation touches (lib/websocket-server.js). @internal */
export interface WsServerInternals {
  clients?: Set<WsSocketInternals>;
  once(event: string, fn: () => void): unknown;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: unknown, req: IncomingMessage) => void): void;
  completeUpgrade(...args: unknown[]): void;
}

/** Prototype of WebSocket, as patched. @internal */
export type WsSocketPrototype = WsSocketInternals & Record<string | symbol, unknown>;
/** Prototype of WebSocketServer, as patched. @internal */
export type WsServerPrototype = WsServerInternals & Record<string | symbol, unknown>;

/**
 * Per-connection state, kept on the socket under a Symbol. Plain fields only: 10,000 idle
 * connections must cost under 1 KB of heap each (issue 3). @internal
 */
export interface ConnectionState {
  readonly h: RoleHandles;
  readonly openedAt: number;
  userKey: string | undefined;
  /** Start of the current message window and messages in it (per-connection guard). */
  winStart: number;
  winCount: number;
  /** performance.now() of the outstanding ping, 0 when none. */
  pingSentAt: number;
  /** Pinger tick that sent the outstanding liveness ping, 0 when none (app pings never terminate a socket). */
  pingTick: number;
  /** FRAMES.epoch in which ws's Sender of this socket was wired to count its data frames (frame-size.ts), 0 when not. */
  framed: number;
  /** Type of the outbound message in progress (a continuation frame counts as its message's type). */
  outBinary: boolean;
  /** Delivered server messages until the next one whose handler time is timed (1: the next one). */
  untilTimed: number;
  /** error.type of the guard that closed the socket: later messages are dropped, not delivered. */
  refused: string | undefined;
  /** The upgrade span, linked from the close span. */
  spanContext: SpanContext | undefined;
  /** Outstanding correlation ids (created on first use). */
  pending: Map<string | number, number> | undefined;
}

/** Hand-off from the upgrade patch to setSocket (completeUpgrade calls setSocket synchronously). @internal */
export interface PendingUpgrade {
  span: Span;
  userKey: string | undefined;
  /** The guards holding this upgrade's reservation (the tracker that admitted it). */
  guards: WsGuards;
  /** Set once setSocket took it over, or once it was finalized as failed: the reservation has ended. */
  done: boolean;
}
