export { MetricsEndpoint, PROMETHEUS_CONTENT_TYPE } from './metrics-endpoint';
export type { MetricsEndpointOptions } from './metrics-endpoint';
export { PrometheusSerializer, sanitizeName, prometheusNameOf } from './prometheus-serializer';
export { PullMetricReader } from './pull-reader';
