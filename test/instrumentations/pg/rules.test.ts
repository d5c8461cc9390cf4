import { strict as assert } from 'node:assert';
import { ruleSchema } from '../../../src/config/schema/rules';
import { createPgRules, DEFAULT_PG_RULE_THRESHOLDS } from '../../../instrumentations/pg/rules';
import { resolveConfig } from '../../../src/config/index';

describe('createPgRules()', () => {
  it('returns rules that validate against ruleSchema', () => {
    const rules = createPgRules();
    assert.ok(rules.length >= 4);
    for (const r of rules) {
      const parsed = ruleSchema.safeParse(r);
      assert.ok(parsed.success, `${r.name}: ${parsed.success ? '' : parsed.error.message}`);
    }
    assert.equal(new Set(rules.map((r) => r.name)).size, rules.length, 'rule names are unique');
  });

  it('carries the spec pool thresholds (max 20, min available 2, max waiting 10) and query times', () => {
    const byName = new Map(createPgRules().map((r) => [r.name, ruleSchema.parse(r)]));
    assert.equal(byName.get('DatabasePoolSizeAboveMax')?.warning, 20);
    const avail = byName.get('DatabasePoolLowAvailability');
    assert.equal(avail?.warning, 2);
    assert.equal(avail?.comparison, '<');
    assert.equal(byName.get('DatabasePoolWaitingClients')?.warning, 10);
    const latency = byName.get('DatabaseQueryLatencyHigh');
    assert.equal(latency?.metric, 'db.client.operation.duration');
    assert.equal(latency?.warning, 100);
    assert.equal(latency?.scale, 1000);
    assert.match(String(byName.get('DatabaseSlowTransactions')?.annotations.description), /500 ms/);
    assert.deepEqual(DEFAULT_PG_RULE_THRESHOLDS, { queryTime: 100, transactionTime: 500, maxSize: 20, minAvailable: 2, maxWaitingClients: 10 });
  });

  it('follows thresholds from the configuration', () => {
    const cfg = resolveConfig({ service: { name: 'x' }, thresholds: { pools: { database: { maxWaitingClients: 3 } }, database: { queryTime: 50 } } });
    const rules = createPgRules({ ...cfg.thresholds.database, ...cfg.thresholds.pools.database });
    assert.equal(rules.find((r) => r.name === 'DatabasePoolWaitingClients')?.warning, 3);
    assert.equal(rules.find((r) => r.name === 'DatabaseQueryLatencyHigh')?.warning, 50);
  });
});
