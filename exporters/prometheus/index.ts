export { MetricsEndpoint, PROMETHEUS_CONTENT_TYPE } from './metrics-endpoint';
export type { MetricsEndpointOptions } from './metrics-endpoint';
export { PrometheusSerializer, prometheusNameOf } from './prometheus-serializer';
export { GAUGE_SUFFIX, RESERVED_SUFFIXES, prometheusMetricName, sanitizeName, type PrometheusKind } from './prometheus-names';
export { PullMetricReader } from './pull-reader';
