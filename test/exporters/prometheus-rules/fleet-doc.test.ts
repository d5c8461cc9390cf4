import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/config';
import { buildDefaultRules } from '../../../src/rules/default-rules';
import { renderRuleFile } from '../../../exporters/prometheus-rules';
import { promtool, tempFiles } from './promtool';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'fleet.md');

function yamlBlock(marker: string): string {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes(marker));
  assert.ok(block, `docs/fleet.md has no yaml block with ${marker}`);
  return block;
}

describe('docs/fleet.md examples', () => {
  it('the prometheus.yml example, with the generated rule file, passes promtool check config', () => {
    const rules = renderRuleFile(buildDefaultRules(resolveConfig({ service: { name: 'chat-gateway' } })));
    const dir = tempFiles({ 'prometheus.yml': yamlBlock('scrape_configs'), 'pulseguard-rules.yml': rules });
    const res = promtool(['check', 'config', 'prometheus.yml'], dir);
    assert.equal(res.status, 0, res.output);
    assert.match(res.output, /SUCCESS: \d+ rules found/);
  });

  it('the alertmanager.yml example (routing and the critical-inhibits-warning rule) passes amtool check-config', () => {
    const dir = tempFiles({ 'alertmanager.yml': yamlBlock('inhibit_rules') });
    const res = spawnSync('amtool', ['check-config', 'alertmanager.yml'], { cwd: dir, encoding: 'utf8' });
    if (res.error) throw new Error(`amtool is not installed: apt-get install prometheus-alertmanager (${res.error.message})`);
    assert.equal(res.status, 0, `${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /1 inhibit rules/);
  });
});
