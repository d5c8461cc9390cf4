/**
 * What pulseguard costs a small app to carry, side by side in one run: a bare express + ws + pg
 * service, the same service under a plain NodeSDK (exporter-prometheus, instrumentation-http and
 * instrumentation-pg), and under pulseguard's start() with its defaults. For each: time until the
 * server listens and one query answered, RSS and heap after GC at that point, modules loaded; and
 * what `npm install` of the packed pulseguard adds to the app (size, packages, install scripts).
 *
 *   npm run bench:footprint                  # or: npm run bench -- footprint
 *   FOOTPRINT_RUNS=31 node dist/bench/footprint.bench.js
 *
 * Method (why):
 * - Real installs, not the project's node_modules: `npm pack` of the built tree, installed from the
 *   tarball into a temp app next to express, ws@8.18.0 and pg (the registry must be reachable).
 *   The app for the NodeSDK case gets the same packages at the versions pulseguard pins. Each
 *   case runs from its own app, so module resolution is what a user gets.
 * - Startup figures are medians over FOOTPRINT_RUNS child processes per case (default 21, about
 *   half a minute), the cases taking turns in rotating order, because the machines here are
 *   shared (load averages above 10 on 2 cores) and one run drifts by more than the differences
 *   measured. A first round, not counted, warms the page cache (the first read of each app's
 *   files from disk is the slowest run of any case).
 * - With valgrind on the PATH, each app also runs 3 times under callgrind: instructions from
 *   process start to ready, where it exits, with its timers stretched by valgrind's slowdown and
 *   V8's seeds fixed. The count barely moves with the machine's load, so it decides the
 *   ready-time comparison when the timed medians are noise (shared 2-core VMs).
 * - The targets compare overheads: (pulseguard - bare) against (NodeSDK - bare), so the
 *   ratio column is pulseguard's overhead over NodeSDK's; at or below 1.0x passes.
 * - Fairness: neither setup exports traces (pulseguard's OTLP export is off by default; the
 *   NodeSDK child runs with OTEL_TRACES_EXPORTER=none and OTEL_LOGS_EXPORTER=none); pulseguard
 *   runs with everything else at its defaults (runtime metrics, evaluator, rate limits), which is
 *   more than the NodeSDK setup does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, median, systemLine, type BenchRow } from './lib/bench-table';
import { hasValgrind, runCallgrind } from './lib/callgrind-costs';

export type { BenchRow };

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'bench', 'fixtures', 'footprint-app.cjs');
const STRETCH_TIMERS = join(ROOT, 'bench', 'fixtures', 'stretch-timers.cjs');
const MODES = ['bare', 'nodesdk', 'pulseguard'] as const;
type Mode = (typeof MODES)[number];

/** One startup sample, as the fixture prints it. */
interface Sample {
  readyMs: number;
  rssMb: number;
  heapMb: number;
  modules: number;
}

/** What a node_modules tree holds. */
interface InstallStats {
  bytes: number;
  packages: number;
  /** "name@version (script)" of every package with a preinstall/install/postinstall script or a binding.gyp. */
  scripts: string[];
  /** The subset that builds native code (binding.gyp or node-gyp). */
  native: string[];
}

function projectVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function pinned(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  return pkg.dependencies[name] ?? pkg.devDependencies[name];
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

/** Walks node_modules (nested ones too) counting packages and their install scripts. */
function scanPackages(nodeModules: string, out: InstallStats = { bytes: 0, packages: 0, scripts: [], native: [] }): InstallStats {
  if (!existsSync(nodeModules)) return out;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((n) => join(nodeModules, entry, n)) : [join(nodeModules, entry)];
    for (const dir of dirs) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string; scripts?: Record<string, string>; gypfile?: boolean };
      out.packages++;
      const id = `${pkg.name}@${pkg.version}`;
      const hooks = ['preinstall', 'install', 'postinstall'].filter((h) => pkg.scripts?.[h]);
      // npm runs `node-gyp rebuild` for a package with a binding.gyp and no install script.
      const gyp = existsSync(join(dir, 'binding.gyp'));
      if (hooks.length > 0 || gyp) out.scripts.push(`${id} (${hooks.length > 0 ? hooks.map((h) => `${h}: ${pkg.scripts?.[h]}`).join('; ') : 'binding.gyp'})`);
      if (gyp || hooks.some((h) => /node-gyp|prebuild/.test(pkg.scripts?.[h] ?? ''))) out.native.push(id);
      scanPackages(join(dir, 'node_modules'), out);
    }
  }
  return out;
}

function installStats(app: string): InstallStats {
  const stats = scanPackages(join(app, 'node_modules'));
  stats.bytes = dirBytes(join(app, 'node_modules'));
  return stats;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function copyDir(from: string, to: string): void {
  execFileSync('cp', ['-a', from, to]);
}

/** The three temp apps (bare, + NodeSDK, + pulseguard from a packed tarball). */
function prepareApps(work: string): Record<Mode, string> {
  const bare = join(work, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'footprint-app', version: '1.0.0', private: true }));
  process.stderr.write('  installing the bare app (express, ws@8.18.0, pg)...\n');
  npm(['install', `express@${projectVersion('express')}`, 'ws@8.18.0', `pg@${projectVersion('pg')}`], bare);

  const nodesdk = join(work, 'nodesdk');
  copyDir(bare, nodesdk);
  process.stderr.write('  installing the NodeSDK app...\n');
  npm(['install', ...['@opentelemetry/sdk-node', '@opentelemetry/exporter-prometheus', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-pg']
    .map((n) => `${n}@${pinned(n) ?? projectVersion(n)}`)], nodesdk);

  process.stderr.write('  packing pulseguard and installing the tarball...\n');
  const tarball = npm(['pack', '--pack-destination', work], ROOT).trim().split('\n').pop() ?? '';
  const pulseguard = join(work, 'pulseguard');
  copyDir(bare, pulseguard);
  npm(['install', join(work, tarball)], pulseguard);

  for (const dir of [bare, nodesdk, pulseguard]) copyFileSync(FIXTURE, join(dir, 'footprint-app.cjs'));
  return { bare, nodesdk, pulseguard };
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', NODE_OPTIONS: '' };
  for (const k of Object.keys(env)) if (k.startsWith('PULSEGUARD_')) delete env[k];
  return env;
}

function runOnce(app: string, mode: Mode): Sample {
  const r = spawnSync(process.execPath, ['--expose-gc', 'footprint-app.cjs', mode], { cwd: app, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('FOOTPRINT '));
  if (!line) throw new Error(`${mode} app printed no FOOTPRINT line (exit ${r.status}); is PostgreSQL up on 127.0.0.1:5432 (db test)?\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice('FOOTPRINT '.length)) as Sample;
}

const mb = (bytes: number): number => bytes / 2 ** 20;

/**
 * How much slower than a normal run a process runs under callgrind, in wall time: measured 44x
 * for each app to ready (18.0 s against 0.41 s, single-threaded). Slightly under, so timers fire
 * a little early rather than late: the count errs towards more timer work, not less.
 */
const CALLGRIND_SLOWDOWN = 40;

/**
 * CPU instructions from process start to ready (the app exits there), counted by valgrind's
 * callgrind: unlike the ready time, the count does not move with the machine's load, so this row
 * decides the ready-time comparison on a busy machine (single-threaded, so V8's background
 * compilers run on the counted thread as they would on a 1-core box). Timers are stretched by the
 * slowdown (fixtures/stretch-timers.cjs): otherwise work set for a second after start fires
 * before ready under valgrind, and a normal run never does it before it is ready.
 */
function instructionsToReady(app: string, mode: Mode): number {
  const out = join(app, `callgrind.${mode}.out`);
  const env = { ...childEnv(), FOOTPRINT_EXIT_AT_READY: '1', STRETCH_TIMERS: String(CALLGRIND_SLOWDOWN) };
  // Seeded: V8 otherwise picks its hash and random seeds per process, which moves the count by
  // ~10 M between runs of the same build.
  return runCallgrind(out, [process.execPath, '--single-threaded', '--hash-seed=1', '--random-seed=1', '--expose-gc', '-r', STRETCH_TIMERS, 'footprint-app.cjs', mode], `the ${mode} app`,
    { cwd: app, env, timeout: 300_000 });
}

/** Runs the footprint comparison and returns its rows. */
export async function run(opts: { runs?: number } = {}): Promise<BenchRow[]> {
  const runs = opts.runs ?? Number(process.env.FOOTPRINT_RUNS ?? 21);
  const work = mkdtempSync(join(tmpdir(), 'pulseguard-footprint-'));
  try {
    const apps = prepareApps(work);
    const installs = { bare: installStats(apps.bare), nodesdk: installStats(apps.nodesdk), pulseguard: installStats(apps.pulseguard) };
    const nested = ['ws', 'pg', 'telegram'].filter((n) => existsSync(join(apps.pulseguard, 'node_modules', 'pulseguard', 'node_modules', n)));

    const samples: Record<Mode, Sample[]> = { bare: [], nodesdk: [], pulseguard: [] };
    for (const mode of MODES) runOnce(apps[mode], mode);
    for (let i = 0; i < runs; i++) {
      // Rotating order, so a load spike is spread over the cases instead of hitting one.
      for (let j = 0; j < MODES.length; j++) {
        const mode = MODES[(i + j) % MODES.length];
        samples[mode].push(runOnce(apps[mode], mode));
      }
    }
    const med = (mode: Mode, k: keyof Sample): number => median(samples[mode].map((s) => s[k]));

    const suite = 'footprint (express + ws + pg app)';
    const rows: BenchRow[] = [];
    const overhead = (name: string, k: keyof Sample, unit: string, judged: boolean): void => {
      const base = med('nodesdk', k) - med('bare', k);
      const pg = med('pulseguard', k) - med('bare', k);
      const ratio = pg / base;
      rows.push({
        suite, case: `${name} over the bare app`, baseline: base, pulseguard: pg, unit, ratio,
        target: judged ? '<= 1.0x NodeSDK' : 'info', verdict: judged ? (ratio <= 1 ? 'pass' : 'fail') : 'info',
        notes: `medians of ${runs}: bare ${med('bare', k).toFixed(1)}, NodeSDK ${med('nodesdk', k).toFixed(1)}, pulseguard ${med('pulseguard', k).toFixed(1)}`,
      });
    };
    overhead('ready time', 'readyMs', 'ms', true);
    if (hasValgrind()) {
      process.stderr.write('  counting instructions to ready under valgrind (about a minute)...\n');
      // Median of 3: V8's timers and GC make single counts differ by ~2%.
      const count = (mode: Mode): number => median([0, 1, 2].map(() => instructionsToReady(apps[mode], mode))) / 1e6;
      const [bare, nodesdk, pulseguard] = MODES.map(count);
      const base = nodesdk - bare;
      const ratio = (pulseguard - bare) / base;
      rows.push({
        suite, case: 'instructions to ready over the bare app (callgrind)', baseline: base, pulseguard: pulseguard - bare, unit: 'M instr', ratio,
        target: '<= 1.0x NodeSDK', verdict: ratio <= 1 ? 'pass' : 'fail',
        notes: `medians of 3: bare ${bare.toFixed(0)}, NodeSDK ${nodesdk.toFixed(0)}, pulseguard ${pulseguard.toFixed(0)} (load-independent twin of the ready-time row)`,
      });
    } else {
      process.stderr.write('  valgrind is not on the PATH: no instruction count (apt-get install -y valgrind)\n');
    }
    overhead('RSS', 'rssMb', 'MB', true);
    overhead('heap after GC', 'heapMb', 'MB', false);
    overhead('modules loaded', 'modules', 'modules', false);

    const added = (k: 'bytes' | 'packages', mode: Mode): number => installs[mode][k] - installs.bare[k];
    const sizeAdded = mb(added('bytes', 'pulseguard'));
    rows.push({
      suite, case: 'npm install: size added', baseline: mb(added('bytes', 'nodesdk')), pulseguard: sizeAdded, unit: 'MB',
      ratio: sizeAdded / mb(added('bytes', 'nodesdk')), target: '<= 35 MB', verdict: sizeAdded <= 35 ? 'pass' : 'fail',
      notes: `bare app ${mb(installs.bare.bytes).toFixed(1)} MB; pulseguard's own copies of ws/pg/telegram: ${nested.length === 0 ? 'none' : nested.join(', ')}`,
    });
    const pkgs = added('packages', 'pulseguard');
    rows.push({
      suite, case: 'npm install: packages added', baseline: added('packages', 'nodesdk'), pulseguard: pkgs, unit: 'packages',
      ratio: pkgs / added('packages', 'nodesdk'), target: 'info', verdict: 'info', notes: `bare app ${installs.bare.packages} packages`,
    });
    const newScripts = (mode: Mode): string[] => installs[mode].scripts.filter((s) => !installs.bare.scripts.includes(s));
    const native = installs.pulseguard.native.filter((n) => !installs.bare.native.includes(n));
    rows.push({
      suite, case: 'npm install: install scripts added', baseline: newScripts('nodesdk').length, pulseguard: newScripts('pulseguard').length, unit: 'packages',
      ratio: NaN, target: 'no native build', verdict: native.length === 0 ? 'pass' : 'fail',
      notes: `pulseguard: ${newScripts('pulseguard').join(', ') || 'none'}; NodeSDK: ${newScripts('nodesdk').join(', ') || 'none'}`,
    });
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const loadBefore = loadavg()[0];
  run().then((rows) => {
    console.log(systemLine(loadBefore));
    console.log(formatTable(rows));
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
