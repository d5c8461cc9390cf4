import { SeriesStore } from './series-store';
import type { AlertRecord } from './state-machine';

/** Separates rule, severity and group key in the record keys (`rule SEP severity`, then `... SEP group`). */
export const RECORD_KEY_SEP = '\u0002';

/** Everything that survives a restart of the evaluator within the process. */
export interface EvaluatorState {
  store: SeriesStore;
  /** Alert records by `rule\u0002severity`, then by group key (no string building per evaluation). */
  records: Map<string, Map<string, AlertRecord>>;
  noDataSince: Map<string, number>;
}

const STATES = Symbol.for('pulseguard.evaluator.states');
type GlobalWithStates = typeof globalThis & { [STATES]?: Map<string, EvaluatorState> };

/** The state kept under `key` (a fresh one without a key). */
export function stateFor(key: string | undefined): EvaluatorState {
  const fresh = (): EvaluatorState => ({ store: new SeriesStore(), records: new Map(), noDataSince: new Map() });
  if (key === undefined) return fresh();
  const g = globalThis as GlobalWithStates;
  const all = (g[STATES] ??= new Map());
  let s = all.get(key);
  if (!s) all.set(key, (s = fresh()));
  return s;
}

/** Forgets persisted evaluator state (tests). @internal */
export function resetEvaluatorState(key?: string): void {
  const all = (globalThis as GlobalWithStates)[STATES];
  if (key === undefined) all?.clear();
  else all?.delete(key);
}
