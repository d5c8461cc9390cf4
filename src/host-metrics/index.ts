export { registerProcessMetrics, memoryLimit } from './process-metrics';
export { registerFilesystemUtilization, filesystemUtilization } from './fs-utilization';
export {
  IsolatedRuntimeNodeInstrumentation,
  runAsEvaluatorCollection,
  isEvaluatorCollection,
  isolateStatefulMeter,
  isolateStatefulMeterProvider,
  STATEFUL_RUNTIME_METRICS,
} from './collection-isolation';
export {
  METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION, METRIC_SYSTEM_FILESYSTEM_UTILIZATION,
  ATTR_CPU_MODE, ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT,
} from './semconv';
