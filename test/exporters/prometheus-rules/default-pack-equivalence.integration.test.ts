import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/config';
import { buildDefaultRules } from '../../../src/rules/default-rules';
import { renderRuleFile } from '../../../exporters/prometheus-rules';
import { STEP_MS, evaluatorFiring, firedSeverities, promtoolTestRules } from './equivalence-harness';
import { onLevel, ruleHistory, severitiesAt, type Level } from './rule-histories';

/**
 * Every rule of the default pack (default thresholds) fires the same alerts in Prometheus
 * (`promtool test rules` on the rule file `pulseguard rules` renders for the whole pack) and in
 * the in-process evaluator, at every 15 s step of a history generated from the rule
 * (rule-histories.ts: below warning, over warning, over critical, back below). Each history must
 * make the evaluator fire every level the rule has, so that agreement is not agreement on silence.
 * Severities are compared one at a time: Prometheus fires both, the evaluator inhibits the warning.
 */

/** CpuHigh divides by the core count; fixed here so the rule file and the evaluator agree on any machine. */
const CPU_COUNT = 4;
const RULES = buildDefaultRules(resolveConfig({ service: { name: 'svc' } }), { cpuCount: CPU_COUNT });
const RULE_FILE = renderRuleFile(RULES, { evaluationIntervalMs: STEP_MS });

/**
 * Rules a documented difference (docs/fleet.md "Where Prometheus and the evaluator differ") keeps
 * from being compared, with the reason. Empty: every rule of the pack has a history both agree on.
 */
const EXEMPT: Readonly<Record<string, string>> = {};

const expectedSeverities = (rule: (typeof RULES)[number], level: Level): string[] =>
  level === 'ok' ? [] : (['critical', 'warning'] as const).filter((s) => rule[s] !== undefined && (s === level || level === 'critical'));

describe('exporters/prometheus-rules: every rule of the default pack fires the same alerts in Prometheus and the evaluator', function () {
  this.timeout(60_000);

  it('tests every rule of the pack (the table in docs/rules.md); the exemption list names only rules of the pack, each with a reason', () => {
    const names = RULES.map((r) => r.name);
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The default rule pack'));
    const table = section.slice(0, section.indexOf('\n## '));
    const documented = [...table.matchAll(/^\| ([A-Z][A-Za-z0-9]+)\b/gm)].map((m) => m[1]);
    assert.deepEqual([...names].sort(), [...new Set(documented)].sort());
    for (const [name, reason] of Object.entries(EXEMPT)) {
      assert.ok(names.includes(name), `exempt rule ${name} is not in the default pack`);
      assert.ok(reason.length > 20, `exempt rule ${name} needs a reason`);
    }
  });

  for (const rule of RULES) {
    if (EXEMPT[rule.name] !== undefined) continue; // named and checked by the test above
    it(`${rule.name}: ${rule.statistic} of ${rule.metric}${rule.denominator ? ` / ${rule.denominator}` : ''}`, async () => {
      const history = ruleHistory(rule);
      // The fixture holds each level where it means to: its steady value crosses exactly the intended levels.
      for (const [level, range] of Object.entries(history.realized) as [Level, [number, number]][]) {
        for (const v of range) assert.deepEqual(severitiesAt(rule, v), expectedSeverities(rule, level), `${level} phase value ${v}`);
      }
      // ... and no window straddling two phases holds a value exactly on a level, where the last bit decides (see EXEMPT).
      for (const v of history.transitions) assert.ok(!onLevel(rule, v), `transition value ${v} is on a level`);

      const expected = await evaluatorFiring(rule, history.series);
      // (a) The history exercises the rule: every level fires, in its own phase and not before.
      assert.deepEqual(firedSeverities(expected), expectedSeverities(rule, 'critical').sort());
      for (const level of ['warning', 'critical'] as const) {
        if (rule[level] === undefined) continue;
        const phase = history.schedule.map((l, k) => (l === level ? k : -1)).filter((k) => k >= 0);
        assert.ok(phase.some((k) => expected[k].some((a) => a.exp_labels.severity === level)), `${level} never fires in its phase`);
      }
      const firstLevel = history.schedule.findIndex((l) => l === 'warning' || l === 'critical');
      assert.ok(expected.slice(0, firstLevel).every((e) => e.length === 0), 'fires before the value crosses a level');
      assert.equal(expected.at(-1)?.length, 0, 'still firing at the end of the history');

      // (b) Prometheus fires the same alerts (labels and annotations) at every step.
      const res = promtoolTestRules(RULE_FILE, rule.name, history.series, expected);
      assert.equal(res.status, 0, `promtool test rules disagrees with the evaluator (files in ${res.dir}):\n${res.output.slice(0, 4000)}`);
    });
  }
});
