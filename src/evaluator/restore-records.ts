import type { AlertRecord } from './state-machine';
import type { CompiledRule } from './rule-compiler';
import { RECORD_KEY_SEP } from './evaluator-state';

/** An alert record as the alert journal keeps it (JSON). */
export type StoredAlertRecord = Omit<AlertRecord, 'seenInPass'>;

/** When the previous run stopped and the restore rules (Prometheus' flags of the same names). */
export interface RestoreTiming {
  /** When the previous run last wrote its state (epoch ms). */
  downAt: number;
  now: number;
  /** --rules.alert.for-outage-tolerance: a longer outage restores no `for` timer. */
  outageToleranceMs: number;
  /** --rules.alert.for-grace-period: a restored pending alert fires no sooner than this after the restart. */
  forGracePeriodMs: number;
}

/** The JSON form of a record. */
export function storeRecord(r: AlertRecord): StoredAlertRecord {
  const { seenInPass: _pass, ...rest } = r;
  return { ...rest, groupLabels: { ...r.groupLabels } };
}

/**
 * The record to restore from the journal, or undefined to start that alert afresh.
 *
 * - A firing alert is always restored, with its `announced` flag: if its condition still holds it
 *   goes on firing without a second announcement; if the condition cleared while the process was
 *   down, the first evaluation resolves it, and the resolve the outage owed is sent.
 * - A pending alert keeps its `for` timer as Prometheus' RestoreForState does
 *   (rules/group.go): only if the outage was shorter than the outage tolerance and `for` is at
 *   least the grace period; its activeAt is moved so that the time spent pending before the
 *   outage counts, the outage itself does not, and it fires no sooner than the grace period after
 *   the restart. At the next evaluation the condition must hold again, or it is dropped as usual.
 */
export function restoreRecord(stored: StoredAlertRecord, forMs: number, t: RestoreTiming): AlertRecord | undefined {
  if (stored.state === 'firing') return { ...stored, groupLabels: { ...stored.groupLabels } };
  if (t.now - t.downAt > t.outageToleranceMs || forMs < t.forGracePeriodMs) return undefined;
  const remaining = forMs - (t.downAt - stored.activeAt);
  let activeAt = stored.activeAt;
  // Ready to fire at the outage: it fires at the next evaluation if the condition still holds.
  if (remaining <= 0) activeAt = stored.activeAt;
  // Nearly due: wait the grace period, so one evaluation after a restart cannot fire it.
  else if (remaining < t.forGracePeriodMs) activeAt = t.now + t.forGracePeriodMs - forMs;
  // Otherwise the outage does not count as pending time.
  else activeAt = stored.activeAt + (t.now - t.downAt);
  return { ...stored, groupLabels: { ...stored.groupLabels }, activeAt };
}

/**
 * Puts the restorable records into `records` (keyed as the evaluator keeps them). Records of
 * rules or levels that no longer exist are left out. Returns how many were restored.
 */
export function restoreInto(records: Map<string, Map<string, AlertRecord>>, compiled: readonly CompiledRule[],
  stored: readonly StoredAlertRecord[], timing: RestoreTiming): number {
  let n = 0;
  for (const s of stored) {
    const cr = compiled.find((c) => c.rule.name === s.ruleName);
    const bucketKey = `${s.ruleName}${RECORD_KEY_SEP}${s.severity}`;
    if (!cr || !cr.levels.some((l) => l.severity === s.severity) || !s.id.startsWith(`${bucketKey}${RECORD_KEY_SEP}`)) continue;
    const rec = restoreRecord(s, cr.rule.for, timing);
    if (!rec) continue;
    let byGroup = records.get(bucketKey);
    if (!byGroup) records.set(bucketKey, (byGroup = new Map()));
    byGroup.set(s.id.slice(bucketKey.length + 1), rec);
    n++;
  }
  return n;
}

/** The evaluator's section of the journal, checked record by record (a malformed one is skipped). */
export function parseStoredRecords(raw: unknown): StoredAlertRecord[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is StoredAlertRecord => typeof r === 'object' && r !== null
    && typeof (r as StoredAlertRecord).id === 'string' && typeof (r as StoredAlertRecord).ruleName === 'string'
    && ((r as StoredAlertRecord).state === 'firing' || (r as StoredAlertRecord).state === 'pending')
    && typeof (r as StoredAlertRecord).activeAt === 'number' && typeof (r as StoredAlertRecord).groupLabels === 'object');
}

/** Frees about `bytes` of the evaluator's journal section: pending alerts first, then the oldest firing ones; one line per drop. */
export function trimStoredRecords(state: unknown, bytes: number): { state: unknown; dropped: string[] } | undefined {
  const records = parseStoredRecords(state);
  const order = [...records].sort((a, b) => (a.state === b.state ? a.activeAt - b.activeAt : a.state === 'pending' ? -1 : 1));
  const gone = new Set<StoredAlertRecord>();
  const dropped: string[] = [];
  let freed = 0;
  for (const r of order) {
    if (freed >= bytes) break;
    gone.add(r);
    freed += JSON.stringify(r).length;
    dropped.push(`${r.state} alert ${r.ruleName} (${r.severity})`);
  }
  return dropped.length > 0 ? { state: records.filter((r) => !gone.has(r)), dropped } : undefined;
}
