/**
 * Names of the host metrics pulseguard adds (STYLE.md §5). `process.cpu.time` and
 * `system.filesystem.utilization` are OpenTelemetry semantic-convention names that are not stable
 * yet, copied in; `process.memory.utilization` is pulseguard's (RSS over the memory available).
 */

/** CPU seconds used by this process, cumulative, by `cpu.mode` (user/system). */
export const METRIC_PROCESS_CPU_TIME = 'process.cpu.time' as const;
/** Resident set size over the memory limit of the process (cgroup limit, else total RAM). */
export const METRIC_PROCESS_MEMORY_UTILIZATION = 'process.memory.utilization' as const;
/** Used share of a filesystem (like `df`: used / (used + available to non-root)). */
export const METRIC_SYSTEM_FILESYSTEM_UTILIZATION = 'system.filesystem.utilization' as const;

/** CPU mode of `process.cpu.time`. */
export const ATTR_CPU_MODE = 'cpu.mode' as const;
/** The configured path whose filesystem is measured. */
export const ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT = 'system.filesystem.mountpoint' as const;
