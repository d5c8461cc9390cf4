/** What Redis last said about one key. @internal */
export interface KnownCount {
  /** Points consumed in the key's window, fleet-wide. */
  consumed: number;
  /** When that window ends (ms, the caller's clock). */
  resetAt: number;
  /** The fallback was already seeded from this count (seed once per outage, then count in-process). */
  seeded: boolean;
}

/**
 * The last count Redis answered for each recently used key of one policy, so that the fallback
 * starts from it: after 5 `api.auth` attempts are spent, losing Redis must not grant 5 fresh ones.
 * Bounded: the least recently answered keys are forgotten beyond `maxKeys` (their fallback then
 * starts from zero, as without this memory).
 *
 * @internal
 */
export class LastKnownCounts {
  private readonly counts = new Map<string, KnownCount>();

  constructor(private readonly maxKeys: number) {}

  get size(): number {
    return this.counts.size;
  }

  remember(key: string, consumed: number, resetAt: number): void {
    // Delete first so that Map order is "least recently answered first".
    this.counts.delete(key);
    this.counts.set(key, { consumed, resetAt, seeded: false });
    if (this.counts.size > this.maxKeys) this.counts.delete(this.counts.keys().next().value as string);
  }

  /** The count to seed the fallback with, once per outage of the key; undefined afterwards or when unknown. */
  takeSeed(key: string): KnownCount | undefined {
    const known = this.counts.get(key);
    if (known === undefined || known.seeded) return undefined;
    known.seeded = true;
    return known;
  }
}
