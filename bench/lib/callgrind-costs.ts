import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** True when valgrind is on the PATH. */
export function hasValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs `command` under callgrind, writing its profile to `out`, and returns the instructions it
 * counted (valgrind's "Collected" line). Throws with the tail of valgrind's output when the run
 * fails; `what` names the run in that message.
 */
export function runCallgrind(out: string, command: readonly string[], what: string, options: Omit<SpawnSyncOptions, 'encoding'> = {}): number {
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...command], { ...options, encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`valgrind run of ${what} failed (exit ${r.status}): ${r.stderr.split('\n').slice(-5).join(' ')}`);
  return Number(m[1]);
}

/**
 * Self cost (Ir) of every function in a callgrind out file, by name. A function's own cost lines
 * are summed; the line after `calls=` is the inclusive cost of a call made from it and belongs to
 * the callee, so it is skipped. Handles callgrind's name compression (`fn=(12) name`, later
 * `fn=(12)`) and its position compression (`+3 5`, `-1 2`, `* 4`).
 */
export function selfCosts(file: string): Map<string, number> {
  const names = new Map<string, string>();
  const costs = new Map<string, number>();
  let fn = '';
  let skipNext = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const c = line.charCodeAt(0);
    // Cost lines start with a position: a digit, '+', '-' or '*'.
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42) {
      if (skipNext) { skipNext = false; continue; }
      const parts = line.split(' ');
      const ir = Number(parts[1] ?? 0);
      if (ir > 0) costs.set(fn, (costs.get(fn) ?? 0) + ir);
    } else if (line.startsWith('fn=')) {
      fn = resolveName(line.slice(3), names);
    } else if (line.startsWith('cfn=')) {
      resolveName(line.slice(4), names); // defines the id for later fn= references
    } else if (line.startsWith('calls=')) {
      skipNext = true;
    }
  }
  return costs;
}

function resolveName(spec: string, names: Map<string, string>): string {
  const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
  if (!m) return spec;
  if (m[2] !== undefined) names.set(m[1], m[2]);
  return names.get(m[1]) ?? spec;
}

/**
 * Garbage collection: V8's collector (scavenges with their visitors, `RootScavengeVisitor` and
 * `ScavengeVisitor` included, mark-compact, sweeping, evacuation, root visiting and their
 * bookkeeping; allocation itself, `Heap::Allocate*`, stays counted), and glibc malloc's
 * free-list work (`_int_malloc`, `_int_free`, consolidation), whose cost depends on when the
 * collector's sweeper freed the buffers of collected messages. Whether a collection lands inside
 * a measured window moves a per-message count by thousands of instructions between identical
 * runs, so the GC-free count leaves these out.
 */
export const GC_FUNCTION = new RegExp([
  'Heap::(?!Allocate)', 'Iterate\\w*ObjectCache', 'Scaveng', 'MarkCompact', 'Marking', 'Sweeper', 'Evacuat', 'GCTracer', 'MemoryAllocator',
  '^(?:_int_malloc|_int_free|unlink_chunk|malloc_consolidate|alloc_perturb)\\b',
].join('|'));

/** Total and garbage-collection Ir of a callgrind out file. */
export function gcSplit(file: string, isGc: RegExp = GC_FUNCTION): { total: number; gc: number } {
  let total = 0;
  let gc = 0;
  for (const [name, ir] of selfCosts(file)) {
    total += ir;
    if (isGc.test(name)) gc += ir;
  }
  return { total, gc };
}
