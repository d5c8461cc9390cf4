import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/config';
import { buildDefaultRules } from '../../../src/rules/default-rules';
import { buildDashboard, ROWS, SCHEMA_VERSION, type Json } from '../../../exporters/grafana';

type Obj = { [k: string]: Json };
const obj = (j: Json | undefined): Obj => j as Obj;

function dashboardFor(input: Record<string, unknown> = {}) {
  const config = resolveConfig({ service: { name: 'svc' }, ...input });
  const rules = buildDefaultRules(config);
  return { rules, dash: buildDashboard(rules) };
}

function panelsOf(dash: Obj): Obj[] {
  return (dash.panels as Json[]).map(obj);
}

function thresholdValues(panel: Obj): (number | null)[] {
  const steps = obj(obj(obj(panel.fieldConfig).defaults).thresholds).steps as Json[];
  return steps.map((s) => obj(s).value as number | null);
}

describe('exporters/grafana dashboard', () => {
  it('has schema version 39, no __inputs, and datasource, job and instance variables', () => {
    const { dash } = dashboardFor();
    assert.equal(dash.schemaVersion, SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, 39);
    assert.equal(dash.__inputs, undefined);
    const vars = (obj(dash.templating).list as Json[]).map(obj);
    assert.deepEqual(vars.map((v) => v.name), ['datasource', 'job', 'instance']);
    assert.equal(vars[0].type, 'datasource');
    assert.equal(vars[0].query, 'prometheus');
    assert.equal(vars[1].definition, 'label_values(target_info, job)');
    assert.equal(vars[2].definition, 'label_values(target_info{job=~"$job"}, instance)');
    for (const v of vars.slice(1)) assert.deepEqual(v.datasource, { type: 'prometheus', uid: '${datasource}' });
  });

  it('has one row per area, and every panel uses ${datasource} and filters every selector on $job and $instance', () => {
    const { dash } = dashboardFor();
    const panels = panelsOf(dash);
    const rows = panels.filter((p) => p.type === 'row').map((p) => p.title);
    assert.deepEqual(rows, ['WebSocket', 'Telegram', 'Database', 'HTTP', 'Rate limits', 'Runtime', 'Alerts']);
    const series = panels.filter((p) => p.type === 'timeseries');
    assert.equal(series.length, ROWS.reduce((n, r) => n + r.panels.length, 0));
    const ids = new Set(panels.map((p) => p.id));
    assert.equal(ids.size, panels.length, 'panel ids are unique');
    for (const p of series) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, String(p.title));
      assert.ok(['s', 'ms', 'percentunit', 'reqps', 'short', 'bytes'].includes(String(obj(obj(p.fieldConfig).defaults).unit)), String(p.title));
      for (const t of (p.targets as Json[]).map(obj)) {
        assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' });
        const expr = String(t.expr);
        // Every vector selector (metric name followed by `{`) carries both variables.
        const selectors = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)];
        assert.ok(selectors.length > 0, expr);
        for (const s of selectors) assert.match(s[2], /job=~"\$job", instance=~"\$instance"/, `${String(p.title)}: ${expr}`);
        assert.doesNotMatch(expr, /SCALE/);
      }
    }
  });

  it('draws threshold lines from the configured levels, converted to the panel unit', () => {
    const { dash, rules } = dashboardFor({ thresholds: { websocket: { messageLatency: { warning: 120, critical: 400 } }, resources: { memory: { warning: 0.7, critical: 0.85 } } } });
    const byTitle = new Map(panelsOf(dash).map((p) => [p.title, p]));
    // Rule levels are in ms (scale 1000 from seconds); the panel query is also in ms.
    assert.deepEqual(thresholdValues(byTitle.get('Message latency p95') as Obj), [null, 120, 400]);
    assert.deepEqual(thresholdValues(byTitle.get('Memory of the limit') as Obj), [null, 0.7, 0.85]);
    // A "below" rule: red/orange under the level, green above.
    const avail = rules.find((r) => r.name === 'DbPoolAvailableLow');
    assert.deepEqual(thresholdValues(byTitle.get('Pool connections available') as Obj), [null, avail?.warning]);
    // CPU: the panel uses the rule's own scale (1 / cores), so the levels carry over unchanged.
    const cpu = rules.find((r) => r.name === 'CpuHigh');
    const cpuPanel = byTitle.get('CPU of all cores') as Obj;
    assert.deepEqual(thresholdValues(cpuPanel), [null, cpu?.warning, cpu?.critical]);
    assert.match(String(obj((cpuPanel.targets as Json[])[0]).expr), new RegExp(`\\* ${String(Number(cpu?.scale.toPrecision(12))).replace('.', '\\.')}$`));
    assert.equal(obj(obj(obj(cpuPanel.fieldConfig).defaults).custom).thresholdsStyle && obj(obj(obj(obj(cpuPanel.fieldConfig).defaults).custom).thresholdsStyle).mode, 'line');
  });

  it('draws no lines for a disabled rule', () => {
    const { dash } = dashboardFor({ rules: { disable: ['MemoryHigh'] } });
    const mem = panelsOf(dash).find((p) => p.title === 'Memory of the limit') as Obj;
    assert.deepEqual(thresholdValues(mem), [null]);
  });
});
