/** A label matcher, as Alertmanager's silences use. */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** A matcher as callers may write it: `isRegex` defaults to false and `isEqual` to true. */
export type MatcherInput = Pick<Matcher, 'name' | 'value'> & Partial<Pick<Matcher, 'isRegex' | 'isEqual'>>;

/** A silence: every matcher must match; active until endsAt. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  endsAt: Date;
  comment?: string;
}

function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(v) : v === m.value;
  return m.isEqual ? hit : !hit;
}

/** Holds silences and answers whether a label set is silenced now; expired ones are pruned lazily. */
export class SilenceStore {
  private silences: Silence[] = [];
  private seq = 0;

  /** Adds a silence; `id` is given only when one is restored from the alert journal (it keeps its id). */
  add(s: Omit<Silence, 'id'> & { id?: string }): string {
    // Compile regexes once here so a bad pattern fails at add time, not at match time.
    for (const m of s.matchers) if (m.isRegex) new RegExp(m.value);
    const n = Number(/^silence-(\d+)$/.exec(s.id ?? '')?.[1] ?? Number.NaN);
    if (Number.isInteger(n) && !this.silences.some((x) => x.id === s.id)) this.seq = Math.max(this.seq, n);
    const id = Number.isInteger(n) && !this.silences.some((x) => x.id === s.id) ? (s.id as string) : `silence-${++this.seq}`;
    this.silences.push({ ...s, id });
    return id;
  }

  remove(id: string): boolean {
    const before = this.silences.length;
    this.silences = this.silences.filter((s) => s.id !== id);
    return this.silences.length !== before;
  }

  active(now: number): Silence[] {
    this.silences = this.silences.filter((s) => s.endsAt.getTime() > now);
    return [...this.silences];
  }

  isSilenced(labels: Record<string, string>, now: number): boolean {
    return this.active(now).some((s) => s.matchers.every((m) => matches(m, labels)));
  }
}
