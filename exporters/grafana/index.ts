export { buildDashboard, renderDashboard, thresholdSteps, SCHEMA_VERSION, DATASOURCE } from './dashboard';
export type { DashboardOptions, Json } from './dashboard';
export { ROWS, sel, INSTANCE_FILTER } from './panels';
export type { PanelSpec, PanelQuery, PanelUnit, RowSpec, ThresholdStep } from './types';
