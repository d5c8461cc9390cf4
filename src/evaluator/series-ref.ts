/** Attribute values as strings, the way Prometheus labels see them. */
export type Labels = Record<string, string>;

/** Series key: sorted label pairs. */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
}
