/**
 * Shapes of node-postgres internals this instrumentation reads. Never exported from the package:
 * they describe pg 8.x / pg-pool 3.x and may change with them.
 */
import type { EventEmitter } from 'node:events';

/** `client.connectionParameters` (pg/lib/connection-parameters.js). */
export interface PgConnectionParameters {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: unknown;
  ssl?: unknown;
}

/** The part of a pg Client the patches touch. */
export interface PgClientInternals extends EventEmitter {
  connectionParameters?: PgConnectionParameters;
  database?: string;
  query(...args: unknown[]): unknown;
  connect(): Promise<void>;
  end(): Promise<void>;
}

/** The part of a pg-pool Pool the pool collector reads at collect time. */
export interface PgPoolInternals extends EventEmitter {
  options: { max?: number; host?: string; port?: number; database?: string; connectionString?: string };
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  query(text: string): Promise<unknown>;
  ending?: boolean;
  ended?: boolean;
}

/** A module export with a prototype (pg.Client, pg-pool's Pool), CJS or the ESM namespace. */
export interface PatchableClass {
  prototype: Record<string | symbol, unknown>;
}
