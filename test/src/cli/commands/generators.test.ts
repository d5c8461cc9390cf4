import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../../../src/cli/index';

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('pulseguard rules / pulseguard dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-generators-'));
  writeFileSync(join(dir, 'pulseguard.config.json'), JSON.stringify({
    service: { name: 'svc' },
    thresholds: { api: { p95: 321 } },
    rules: { custom: [{ name: 'QueueDeep', metric: 'app.queue.depth', statistic: 'last', warning: 10, labels: { area: 'app' } }] },
  }));
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ service: { name: 'svc' }, rules: { defaults: false, custom: [{ name: 'OnlyMine', metric: 'x.y', statistic: 'rate', critical: 1 }] } }));

  it('rules: discovers the configuration and prints the rule file, with custom rules and configured levels', async () => {
    const res = await cli(['rules'], dir);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^groups:$/m);
    assert.match(res.stdout, /alert: "QueueDeep"/);
    assert.match(res.stdout, /http_server_request_duration_bucket\[5m\]\)\)\)\) \* 1000 > 321"/);
  });

  it('rules: --config picks another file and --out writes it', async () => {
    const res = await cli(['rules', '--config', 'other.json', '--out', 'rules.yml'], dir);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, '');
    const text = readFileSync(join(dir, 'rules.yml'), 'utf8');
    assert.match(text, /alert: "OnlyMine"/);
    assert.doesNotMatch(text, /ApiLatencyP95High/);
  });

  it('dashboard: --out writes the JSON with the configured levels', async () => {
    const res = await cli(['dashboard', '--out=dash.json'], dir);
    assert.equal(res.code, 0, res.stderr);
    const dash = JSON.parse(readFileSync(join(dir, 'dash.json'), 'utf8')) as { schemaVersion: number; panels: { title: string; fieldConfig?: { defaults: { thresholds: { steps: { value: number | null }[] } } } }[] };
    assert.equal(dash.schemaVersion, 39);
    const p95 = dash.panels.find((p) => p.title === 'API latency p95');
    assert.deepEqual(p95?.fieldConfig?.defaults.thresholds.steps.map((s) => s.value), [null, 321]);
  });

  it('dashboard: uid and title come from the service name, so two services do not collide; --uid and --title override', async () => {
    writeFileSync(join(dir, 'gateway.json'), JSON.stringify({ service: { name: 'Chat Gateway' } }));
    const ids = async (args: string[]) => {
      const res = await cli(['dashboard', ...args], dir);
      assert.equal(res.code, 0, res.stderr);
      const { uid, title } = JSON.parse(res.stdout) as { uid: string; title: string };
      return { uid, title };
    };
    assert.deepEqual(await ids([]), { uid: 'pulseguard-svc', title: 'svc (pulseguard)' });
    assert.deepEqual(await ids(['--config', 'gateway.json']), { uid: 'pulseguard-chat-gateway', title: 'Chat Gateway (pulseguard)' });
    assert.deepEqual(await ids(['--uid', 'gw', '--title=Gateway']), { uid: 'gw', title: 'Gateway' });
    writeFileSync(join(dir, 'long.json'), JSON.stringify({ service: { name: 'x'.repeat(60) } }));
    assert.equal((await ids(['--config', 'long.json'])).uid.length, 40, 'Grafana uids are at most 40 characters');
  });

  it('exits 2 on an unknown option and 1 on an invalid configuration', async () => {
    const bad = await cli(['rules', '--bogus'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unexpected argument --bogus/);
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ service: { name: 'svc' }, rules: { disable: ['NoSuchRule'] } }));
    const invalid = await cli(['dashboard', '--config', 'broken.json'], dir);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /no rule named "NoSuchRule"/);
  });
});
