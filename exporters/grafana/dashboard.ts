import type { Rule } from '../../src/evaluator/types';
import { ROWS } from './panels';
import type { PanelSpec, RowSpec, ThresholdStep } from './types';

/** Grafana 10/11 dashboard schema version the JSON is written for. */
export const SCHEMA_VERSION = 39;

/** Every panel and variable query goes through the dashboard's datasource variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Options of {@link buildDashboard}. */
export interface DashboardOptions {
  title?: string;
  uid?: string;
  /** Rows to draw (tests pass their own); the built-in areas by default. */
  rows?: readonly RowSpec[];
}

/** Grafana refuses dashboard uids longer than this. */
const MAX_UID_LENGTH = 40;

/**
 * uid and title for a service's dashboard, so two services imported into one Grafana do not
 * replace each other: uid `pulseguard-<service>` (lower-case, [a-z0-9-], at most 40 characters),
 * title `<service> (pulseguard)`.
 */
export function dashboardIdentity(serviceName: string): { uid: string; title: string } {
  const slug = serviceName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const uid = `pulseguard-${slug}`.slice(0, MAX_UID_LENGTH).replace(/-+$/, '');
  return { uid: slug ? uid : 'pulseguard', title: `${serviceName} (pulseguard)` };
}

/** Grafana JSON (loosely typed: it is written out, never read back). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function num(n: number): number {
  return Number(n.toPrecision(12));
}

/**
 * Threshold steps from a rule's levels, converted to the panel's unit (`level / rule.scale *
 * panel scale`): green, then orange at warning and red at critical for "above" rules; reversed
 * for "below" rules. No rule (or a disabled one): a single green step, no lines.
 */
export function thresholdSteps(panel: PanelSpec, rule: Rule | undefined): ThresholdStep[] {
  if (!rule) return [{ color: 'green', value: null }];
  const scale = panel.scale === 'rule' ? rule.scale : (panel.scale ?? 1);
  const conv = (level: number) => num((level / rule.scale) * scale);
  const above = rule.comparison === '>' || rule.comparison === '>=';
  if (above) {
    const steps: ThresholdStep[] = [{ color: 'green', value: null }];
    if (rule.warning !== undefined) steps.push({ color: 'orange', value: conv(rule.warning) });
    if (rule.critical !== undefined) steps.push({ color: 'red', value: conv(rule.critical) });
    return steps;
  }
  const steps: ThresholdStep[] = [{ color: rule.critical !== undefined ? 'red' : 'orange', value: null }];
  if (rule.critical !== undefined && rule.warning !== undefined) steps.push({ color: 'orange', value: conv(rule.critical) });
  steps.push({ color: 'green', value: conv(rule.warning ?? rule.critical ?? 0) });
  return steps;
}

function panelJson(panel: PanelSpec, rule: Rule | undefined, id: number, gridPos: { x: number; y: number; w: number; h: number }): Json {
  const scale = panel.scale === 'rule' ? (rule?.scale ?? 1) : (panel.scale ?? 1);
  const steps = thresholdSteps(panel, rule);
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    description: rule ? `Threshold lines: rule ${rule.name} (${[rule.warning !== undefined ? `warning ${rule.warning}` : '', rule.critical !== undefined ? `critical ${rule.critical}` : ''].filter(Boolean).join(', ')}, ${rule.comparison}).` : '',
    datasource: { ...DATASOURCE },
    gridPos,
    fieldConfig: {
      defaults: {
        unit: panel.unit,
        color: { mode: 'palette-classic' },
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false, thresholdsStyle: { mode: steps.length > 1 ? 'line' : 'off' } },
        thresholds: { mode: 'absolute', steps: steps as unknown as Json[] },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: panel.queries.map((query, i) => ({
      datasource: { ...DATASOURCE },
      refId: String.fromCharCode(65 + i),
      expr: query.expr.replace(/\bSCALE\b/g, String(num(scale))),
      legendFormat: query.legend,
      range: true,
    })),
  };
}

function variable(name: string, label: string, query: string): Json {
  return {
    name, label, type: 'query', datasource: { ...DATASOURCE },
    definition: query, query: { query, refId: `${name}-query` },
    includeAll: true, multi: true, allValue: '.*', refresh: 2, sort: 1, hide: 0,
    current: { selected: true, text: ['All'], value: ['$__all'] },
  };
}

/**
 * The dashboard: a row per area, timeseries panels whose threshold lines come from the
 * configured rule levels, and `datasource`, `job` (the service) and `instance` variables.
 */
export function buildDashboard(rules: readonly Rule[], options: DashboardOptions = {}): { [k: string]: Json } {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of options.rows ?? ROWS) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    row.panels.forEach((panel, i) => {
      const gridPos = { x: (i % 3) * 8, y: y + Math.floor(i / 3) * 8, w: 8, h: 8 };
      panels.push(panelJson(panel, panel.rule !== undefined ? byName.get(panel.rule) : undefined, id++, gridPos));
    });
    y += Math.ceil(row.panels.length / 3) * 8;
  }
  return {
    uid: options.uid ?? 'pulseguard',
    title: options.title ?? 'pulseguard',
    description: 'Generated by `pulseguard dashboard`: threshold lines are the configured rule levels.',
    tags: ['pulseguard'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, regex: '', includeAll: false, multi: false },
        variable('job', 'Service', 'label_values(target_info, job)'),
        variable('instance', 'Instance', 'label_values(target_info{job=~"$job"}, instance)'),
      ],
    },
    panels,
  };
}

/** The dashboard as pretty-printed JSON. */
export function renderDashboard(rules: readonly Rule[], options: DashboardOptions = {}): string {
  return `${JSON.stringify(buildDashboard(rules, options), null, 2)}\n`;
}
