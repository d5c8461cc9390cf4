/**
 * Objects held weakly that can still be walked (a WeakSet cannot be): what the instrumentation
 * wrapped on GramJS's own objects, so that disable() can put the app's functions back without
 * keeping a client or sender the app dropped alive.
 * @internal
 */
export class WeakRefs<T extends object> {
  private readonly refs = new Set<WeakRef<T>>();
  private members = new WeakSet<T>();

  /** Adds `value` once. */
  add(value: T): void {
    if (this.members.has(value)) return;
    this.members.add(value);
    this.refs.add(new WeakRef(value));
    // Senders and clients come and go with connections and DCs: drop the references to collected ones.
    if (this.refs.size > 64) for (const ref of this.refs) if (ref.deref() === undefined) this.refs.delete(ref);
  }

  /** The ones still alive; the set is empty afterwards. */
  drain(): T[] {
    const live: T[] = [];
    for (const ref of this.refs) {
      const value = ref.deref();
      if (value !== undefined) live.push(value);
    }
    this.refs.clear();
    this.members = new WeakSet();
    return live;
  }
}
