/** The errors' section of the alert journal. */
export interface KnownGroupsJournal {
  release: string;
  /** Oldest first. */
  fingerprints: string[];
}

function isJournal(v: unknown): v is KnownGroupsJournal {
  return typeof v === 'object' && v !== null && typeof (v as KnownGroupsJournal).release === 'string'
    && Array.isArray((v as KnownGroupsJournal).fingerprints);
}

/**
 * The error groups already seen in this release, kept in the alert journal: a restart of the same
 * release does not announce every group as new again, while a new release starts with none, so
 * each group is new to it once (Sentry's "new issue since release"). Bounded to `max`
 * fingerprints, the least recently seen forgotten first.
 */
export class KnownGroups {
  private readonly seen = new Set<string>();

  constructor(readonly release: string, private readonly max: number, restored?: unknown) {
    if (isJournal(restored) && restored.release === release) {
      for (const fp of restored.fingerprints.slice(-max)) if (typeof fp === 'string') this.seen.add(fp);
    }
  }

  /** True the first time a fingerprint is seen in this release; remembers it either way. */
  firstSeen(fingerprint: string): boolean {
    const known = this.seen.delete(fingerprint);
    this.seen.add(fingerprint);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as string);
    return !known;
  }

  get size(): number {
    return this.seen.size;
  }

  snapshot(): KnownGroupsJournal {
    return { release: this.release, fingerprints: [...this.seen] };
  }
}

/** Frees about `bytes` of the section by forgetting the least recently seen groups (one log line). */
export function trimKnownGroups(state: unknown, bytes: number): { state: unknown; dropped: string[] } | undefined {
  if (!isJournal(state) || state.fingerprints.length === 0) return undefined;
  let freed = 0;
  let n = 0;
  while (n < state.fingerprints.length && freed < bytes) freed += state.fingerprints[n++].length + 3;
  return {
    state: { release: state.release, fingerprints: state.fingerprints.slice(n) },
    dropped: [`${n} known error groups of release ${state.release} (they may alert as new after a restart)`],
  };
}
