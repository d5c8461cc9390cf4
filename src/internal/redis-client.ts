/**
 * An ioredis client (`new Redis(...)`, ioredis 5 or 6), as pulseguard's public types name it. It
 * is structural because ioredis is an optional peer: the published declarations must compile for
 * an app that does not have it installed. What pulseguard calls is listed; the code that uses the
 * client is typed against ioredis itself.
 */
export interface RedisClient {
  /** Connection state ("ready", "end", ...). */
  readonly status: string;
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}
