import { createHash } from 'node:crypto';

/** A stable hash of a label set (sorted), like Alertmanager's fingerprint. */
export function alertFingerprint(labels: Record<string, string>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(labels).sort()) h.update(`${k}\u0000${labels[k]}\u0001`);
  return h.digest('hex').slice(0, 16);
}
