export { ReportHistory, REPORT_METRICS, reportAreas } from './report-history';
export { prometheusReport } from './prometheus-report';
export type { PrometheusReportOptions, FleetReport } from './prometheus-report';
export { formatFleetReport } from './format-report';
export type {
  ReportOptions, PerformanceReport, AreaReport, LatencySummary, ReportPoint, QueryReport, MemoryReport,
} from './types';
