import { strict as assert } from 'node:assert';
import { runCli, type CliIo } from '../../src/cli/index';
import { resolveConfig } from '../../src/config/index';
import { buildDefaultRules } from '../../src/rules/default-rules';
import { TempDir } from '../helpers/temp-dir';

async function check(config: unknown): Promise<{ code: number; stderr: string }> {
  const dir = new TempDir();
  try {
    dir.write('pulseguard.config.json', JSON.stringify(config));
    let stderr = '';
    const io: CliIo = { stdout: () => {}, stderr: (s) => { stderr += s; }, cwd: dir.path, env: {} };
    return { code: await runCli(['check'], io), stderr };
  } finally {
    dir.cleanup();
  }
}

// Issue 18 item 9: two built-in rules (TelegramFloodWait and TelegramFloodWaitsHigh) had the same
// expression, so every flood storm alerted twice; `pulseguard check` accepted a custom rule with
// its levels reversed or a misspelled metric (only start() compiled the rules).
describe('rules (regression: duplicate flood-wait rule; check did not compile rules)', () => {
  it('the default pack has one rule per expression', () => {
    const rules = buildDefaultRules(resolveConfig({ service: { name: 't' } }));
    const byExpr = new Map<string, string[]>();
    for (const r of rules) {
      const key = JSON.stringify([r.metric, r.statistic, r.denominator, r.filter, r.denominatorFilter, r.groupBy, r.window, r.comparison]);
      byExpr.set(key, [...(byExpr.get(key) ?? []), r.name]);
    }
    const dupes = [...byExpr.values()].filter((names) => names.length > 1);
    assert.deepEqual(dupes, []);
    assert.ok(rules.some((r) => r.name === 'TelegramFloodWaitsHigh' && r.warning === 5 && r.critical === 20));
  });

  it('pulseguard check rejects a misspelled metric and reversed levels in a custom rule', async () => {
    const r = await check({ service: { name: 't' }, rules: { custom: [
      { name: 'Typo', metric: 'websocket.mesages', statistic: 'rate', warning: 80 },
      { name: 'Reversed', metric: 'websocket.messages', statistic: 'rate', warning: 10, critical: 5 },
    ] } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /unknown metric "websocket\.mesages"; did you mean "websocket\.messages"\?/);
    assert.match(r.stderr, /critical \(5\) is below warning \(10\)/);
  });
});
