import type { JournalStore } from './journal-store';

/** The two commands the journal needs from an ioredis client (the rate limiter's). */
export interface JournalRedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
}

/** The journal as one Redis string (a SET replaces it atomically), on the limits' Redis connection. */
export class RedisJournalStore implements JournalStore {
  constructor(private readonly client: JournalRedisClient, readonly where: string) {}

  async read(): Promise<string | undefined> {
    return (await this.client.get(this.where)) ?? undefined;
  }

  async write(text: string): Promise<void> {
    await this.client.set(this.where, text);
  }

  writeNow(text: string): void {
    // Sent, not awaited: a crashing process may exit first (documented in docs/alerting.md).
    this.client.set(this.where, text).catch(() => {});
  }
}
