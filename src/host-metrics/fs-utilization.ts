import { statfsSync } from 'node:fs';
import { pulseguardMetrics } from '../metrics/registry';
import type { ObservedValue } from '../metrics/hot-metrics';
import { reportInternalError } from '../internal/internal-errors';
import { ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT, METRIC_SYSTEM_FILESYSTEM_UTILIZATION } from './semconv';

/**
 * Used share of the filesystem holding `path`, as `df` computes it: used / (used + available to
 * unprivileged users). Undefined when the path cannot be read.
 */
export function filesystemUtilization(path: string): number | undefined {
  const s = statfsSync(path);
  const used = s.blocks - s.bfree;
  const denom = used + s.bavail;
  return denom > 0 ? used / denom : undefined;
}

const PATHS = Symbol.for('pulseguard.evaluator.fsPaths');
type GlobalWithPaths = typeof globalThis & { [PATHS]?: { paths: readonly string[] } };

/**
 * Registers the `system.filesystem.utilization` gauge (unit 1, attribute
 * `system.filesystem.mountpoint` = the configured path) for `paths`; no pinned upstream package
 * provides it on Node 20. statfs is one cheap syscall per path, read at collect time, so every
 * reader sees the same fresh value and nothing is cached between readers. Registered once per
 * process; a later call replaces the paths.
 */
export function registerFilesystemUtilization(paths: readonly string[]): void {
  const g = globalThis as GlobalWithPaths;
  if (g[PATHS]) {
    g[PATHS].paths = [...paths];
    return;
  }
  const holder = { paths: [...paths] };
  g[PATHS] = holder;
  pulseguardMetrics.observe(
    { name: METRIC_SYSTEM_FILESYSTEM_UTILIZATION, description: 'Used share of the filesystem holding each configured path.', unit: '1' },
    (): ObservedValue[] => {
      const out: ObservedValue[] = [];
      for (const p of holder.paths) {
        try {
          const v = filesystemUtilization(p);
          if (v !== undefined) out.push({ value: v, attributes: { [ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT]: p } });
        } catch (err) {
          reportInternalError('evaluator.fs-utilization', err);
        }
      }
      return out;
    },
  );
}
