import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig } from '../../src/config/index';
import { ENV_VARS } from '../../src/config/env-config';
import { REPO_ROOT } from '../helpers/temp-dir';

/** The exports of scripts/gen-config-doc.mjs (plain ESM, loaded at run time). */
interface GenConfigDoc {
  DOC_PATH: string;
  renderConfigDoc(root?: string): string;
  checkConfigDoc(committed: string, fresh: string): { ok: boolean; message: string };
}

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('scripts/gen-config-doc.mjs', function () {
  // Building a TypeScript program to read the JSDoc takes a few seconds (more on a busy machine).
  this.timeout(120_000);
  let gen: GenConfigDoc;
  let fresh: string;
  before(async () => {
    gen = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'gen-config-doc.mjs')).href)) as GenConfigDoc;
    fresh = gen.renderConfigDoc();
  });

  it('docs/configuration.md is up to date with the schema', () => {
    const committed = readFileSync(gen.DOC_PATH, 'utf8');
    const result = gen.checkConfigDoc(committed, fresh);
    assert.ok(result.ok, result.message);
  });

  it('has a row, with its effective default, for every option of the resolved configuration', () => {
    const config = resolveConfig({ service: { name: 'doc-test' } });
    for (const path of leafPaths(config)) {
      assert.match(fresh, new RegExp(`^\\| \`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\|`, 'm'), `no row for ${path}`);
    }
    assert.match(fresh, /^\| `exporters\.prometheus\.port` \| integer, >= 0, <= 65535 \| `9464` \| /m);
    assert.match(fresh, /^\| `thresholds\.websocket\.messageLatency\.critical` \| number, >= 0 \| `500` \| Message latency, ms\. \|$/m);
    assert.match(fresh, /^\| `service\.name` \| [^|]+ \| \*\*required\*\* \| /m);
    assert.match(fresh, /^\| `rules\.custom\[\]\.window` \| .* \| `300000` \| Window the statistic is computed over\. \|$/m);
  });

  it('shows dynamic defaults as their JSDoc text, so the doc does not depend on this machine', () => {
    assert.match(fresh, /^\| `service\.instanceId` \| [^|]+ \| `"<hostname>-<pid>"` \|/m);
    assert.match(fresh, /^\| `exporters\.otlp\.endpoint` \| URL \| `process\.env\.OTEL_EXPORTER_OTLP_ENDPOINT or "http:\/\/localhost:4318"` \|/m);
  });

  it('lists every environment variable in its "Environment variables" section', () => {
    const section = fresh.slice(fresh.indexOf('## Environment variables'), fresh.indexOf('## Options'));
    assert.ok(section.length > 0);
    for (const v of ENV_VARS) assert.match(section, new RegExp(`^\\| \`${v.name}\` \\|`, 'm'));
  });

  it('reports a stale doc with the first difference and how to regenerate', () => {
    const stale = fresh.replace('`9464`', '`9465`');
    const result = gen.checkConfigDoc(stale, fresh);
    assert.equal(result.ok, false);
    assert.match(result.message, /out of date .*\n {2}committed: .*9465.*\n {2}generated: .*9464/);
    assert.match(result.message, /npm run docs:config/);
  });
});
