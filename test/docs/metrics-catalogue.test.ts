import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/temp-dir';
import { KNOWN_METRICS } from '../../src/metrics/known-metrics';

/** One metric family of a real scrape, as `node scripts/list-metrics.mjs --json` prints it. */
interface ScrapedFamily {
  name: string;
  type: string;
  unit: string;
  help: string;
  labels: string[];
}

const DOC = join(REPO_ROOT, 'docs', 'metrics.md');
const SCRIPT = join(REPO_ROOT, 'scripts', 'list-metrics.mjs');

/** Runs the drive in its own process, so this test process's instrumentations and ports stay untouched. */
function scrape(): Promise<ScrapedFamily[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SCRIPT, '--json'], { cwd: REPO_ROOT, timeout: 20_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`scripts/list-metrics.mjs failed (PostgreSQL must run on 127.0.0.1:5432, database test, user postgres: ` +
          `run bash scripts/prepare-test-env.sh): ${err.message}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as ScrapedFamily[]);
    });
  });
}

/** The OTel names the page lists, with a row like `nodejs.eventloop.delay.{min,max}` expanded to each name. */
function documentedOtelNames(doc: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of doc.matchAll(/`([a-z0-9_.]+(?:\.\{[a-z0-9_,]+\})?)`/g)) {
    const braces = /^(.*)\{(.*)\}$/.exec(name);
    for (const n of braces ? braces[2].split(',').map((alt) => braces[1] + alt) : [name]) names.add(n);
  }
  return names;
}

/** The Prometheus name of a family as the catalogue writes it (counters already carry `_total`). */
function documented(doc: string, family: ScrapedFamily): boolean {
  return doc.includes(`\`${family.name}\``) || doc.includes(`\`${family.name}_bucket/_sum/_count\``);
}

describe('docs/metrics.md', function () {
  this.timeout(30_000);
  let families: ScrapedFamily[];
  let doc: string;
  before(async () => {
    families = await scrape();
    doc = readFileSync(DOC, 'utf8');
  });

  it('the drive covers every area (so a missing area cannot pass silently)', () => {
    const names = families.map((f) => f.name);
    for (const expected of ['websocket_messages_total', 'db_client_operation_duration', 'telegram_rpc_duration',
      'ratelimit_decisions_total', 'http_server_request_duration', 'pulseguard_errors_tracked_total']) {
      assert.ok(names.includes(expected), `the scrape has no ${expected}; scripts/list-metrics.mjs no longer drives that area`);
    }
  });

  it('lists every metric family of a real scrape by its Prometheus name', () => {
    const missing = families.filter((f) => f.name !== 'target_info' && !documented(doc, f));
    assert.deepEqual(missing.map((f) => f.name), [], 'add a row to docs/metrics.md for each of:\n' + missing.map((f) => {
      const otel = `${f.name.replace(/_total$/, '')} (dots for underscores)`;
      const prom = f.type === 'histogram' ? `\`${f.name}_bucket/_sum/_count\`` : `\`${f.name}\``;
      return `  ${prom}: OTel name ${otel}, ${f.type}, unit ${f.unit || '(none)'}, labels ${f.labels.join(', ') || '(none)'}; "${f.help}"`;
    }).join('\n'));
  });

  // A rule on a catalogue name passes the typo check, so a name nothing emits would fail silently (nodata forever).
  it('documents every metric the rule catalogue (src/metrics/known-metrics.ts) accepts', () => {
    const documented = documentedOtelNames(doc);
    assert.deepEqual(Object.keys(KNOWN_METRICS).filter((n) => !documented.has(n)), [],
      'each is either emitted and missing from docs/metrics.md, or emitted by nothing and should leave the catalogue');
  });

  it('gives each scraped family the unit the scrape reports', () => {
    for (const f of families) {
      if (f.name === 'target_info' || !f.unit) continue;
      const row = doc.split('\n').find((line) => line.startsWith('|') && (line.includes(`| \`${f.name}\` |`) || line.includes(`| \`${f.name}_bucket/_sum/_count\` |`)));
      assert.ok(row, `no table row for ${f.name}`);
      assert.ok(row.includes(`| \`${f.unit}\` |`), `docs/metrics.md gives ${f.name} another unit than the scrape's ${f.unit}: ${row}`);
    }
  });
});
