/** Grafana units the generated panels use. */
export type PanelUnit = 's' | 'ms' | 'percentunit' | 'reqps' | 'short' | 'bytes';

/** One query of a panel, written with `SEL(metric, extra matchers)` already expanded. */
export interface PanelQuery {
  expr: string;
  legend: string;
}

/** What a generated timeseries panel shows and which rule draws its threshold lines. */
export interface PanelSpec {
  title: string;
  unit: PanelUnit;
  queries: PanelQuery[];
  /** Rule whose warning/critical levels become threshold lines. */
  rule?: string;
  /**
   * What the panel's queries multiply the metric by (1000 for seconds shown in ms). A rule level
   * is converted as `level / rule.scale * scale`. `'rule'`: the queries use the rule's own scale.
   * @default 1
   */
  scale?: number | 'rule';
}

/** One dashboard row. */
export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

/** Grafana threshold step. */
export interface ThresholdStep {
  color: string;
  value: number | null;
}
