import { HotMetricRegistry } from './hot-metrics';

/**
 * The process-wide registry for pulseguard's own hot-path metrics. Instrumentations create
 * their families here at set-up; {@link createHotMetricProducer} hands them to every reader.
 * One registry per process, because instrumentations patch modules once per process.
 *
 * @internal
 */
export const pulseguardMetrics = new HotMetricRegistry();
