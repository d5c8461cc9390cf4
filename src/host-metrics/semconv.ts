/**
 * Names of the host metrics pulseguard adds. `process.cpu.time` and
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

// The Node.js runtime metrics of @opentelemetry/instrumentation-runtime-node 0.36.1, which this
// area loads (collection-isolation.ts). Incubating in semantic-conventions 1.45.0, so copied in.

/** Event loop time by state (active/idle), cumulative seconds. */
export const METRIC_NODEJS_EVENTLOOP_TIME = 'nodejs.eventloop.time' as const;
/** Event loop utilization over the last collection interval (stateful: see collection-isolation.ts). */
export const METRIC_NODEJS_EVENTLOOP_UTILIZATION = 'nodejs.eventloop.utilization' as const;
/** Event loop delay, minimum over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MIN = 'nodejs.eventloop.delay.min' as const;
/** Event loop delay, maximum over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MAX = 'nodejs.eventloop.delay.max' as const;
/** Event loop delay, mean over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_MEAN = 'nodejs.eventloop.delay.mean' as const;
/** Event loop delay, standard deviation over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV = 'nodejs.eventloop.delay.stddev' as const;
/** Event loop delay, 50th percentile over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P50 = 'nodejs.eventloop.delay.p50' as const;
/** Event loop delay, 90th percentile over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90' as const;
/** Event loop delay, 99th percentile over the last interval. */
export const METRIC_NODEJS_EVENTLOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99' as const;
/** Garbage collection pause durations, by `v8js.gc.type`. */
export const METRIC_V8JS_GC_DURATION = 'v8js.gc.duration' as const;
/** Heap space size, by `v8js.heap.space.name`. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE = 'v8js.memory.heap.space.size' as const;
/** Heap used, by `v8js.heap.space.name`. */
export const METRIC_V8JS_MEMORY_HEAP_USED = 'v8js.memory.heap.used' as const;
/** Heap space available size, by `v8js.heap.space.name`. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE = 'v8js.memory.heap.space.available_size' as const;
/** Heap space physical size, by `v8js.heap.space.name`. */
export const METRIC_V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE = 'v8js.memory.heap.space.physical_size' as const;
/** Active libuv resources (handles, requests), by `v8js.resource.type`. */
export const METRIC_V8JS_RESOURCE_ACTIVE = 'v8js.resource.active' as const;

/** State of `nodejs.eventloop.time`. */
export const ATTR_NODEJS_EVENTLOOP_STATE = 'nodejs.eventloop.state' as const;
/** `nodejs.eventloop.state` value for time spent running callbacks. */
export const NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE = 'active' as const;
/** Kind of garbage collection of `v8js.gc.duration`. */
export const ATTR_V8JS_GC_TYPE = 'v8js.gc.type' as const;
/** Heap space of the `v8js.memory.heap.*` metrics. */
export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name' as const;
/** Resource type of `v8js.resource.active`. */
export const ATTR_V8JS_RESOURCE_TYPE = 'v8js.resource.type' as const;
