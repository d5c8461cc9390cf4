import type { SeriesColumns } from './series-columns';

/** Attribute values as strings, the way Prometheus labels see them. */
export type Labels = Record<string, string>;

/** One series: its labels and where its cells are. */
export class SeriesRef {
  /** False once dropped (expired, or moved to another bucket layout). */
  live = true;
  /** Row of its first sample, and of its last. */
  bornSeq = -1;
  lastSeq = -1;
  /** Time of its last sample. */
  lastSeen = 0;

  /** `id`: small, unique among the metric's live series (rule caches index by it). */
  constructor(readonly labels: Labels, readonly key: string, readonly id: number, readonly columns: SeriesColumns, readonly slot: number) {}
}

/** Series key: sorted label pairs. */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
}
