/**
 * bench/evaluator-prometheus: pulseguard's evaluation cycle beside Prometheus evaluating the same
 * rules over the same series, in one run. Run alone: `node dist/bench/evaluator-prometheus.bench.js`.
 *
 * Setup: the default rule pack (what `pulseguard rules` writes) and an exposition of 1,000 or
 * 10,000 series of the metrics those rules read, shaped like the catalogue (each rule's filter
 * satisfied, its group-by labels varied, the rest spread over one more catalogue attribute). A
 * real Prometheus (Debian's) scrapes that exposition and evaluates the rule file; the figure is
 * `prometheus_rule_group_last_duration_seconds` summed over the groups (one evaluation of every
 * rule). Beside it, an Evaluator with the same rules reads the same registry.
 *
 * Fairness: both sides scrape/collect and evaluate every second, so their windows hold the same
 * number of samples; both are read after the same warm-up. pulseguard's cycle includes its own
 * collect of the registry; Prometheus' figure excludes its scrape and ingestion. Medians of the
 * readings after warm-up are compared; the CPU share is the median cycle over the default 15 s
 * evaluation interval.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { renderRuleFile } from '../exporters/prometheus-rules/rule-file';
import { resolveConfig } from '../src/config/validate';
import type { Rule } from '../src/config/types';
import { Evaluator, resetEvaluatorState } from '../src/evaluator/evaluator';
import { HotMetricRegistry } from '../src/metrics/hot-metrics';
import { createHotMetricProducer } from '../src/metrics/hot-metric-producer';
import { KNOWN_METRICS } from '../src/metrics/known-metrics';
import { buildDefaultRules } from '../src/rules/default-rules';
import { median, row, systemLine, type BenchRow } from './lib/bench-table';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const WARMUP_S = 20;
const READINGS = 20;
const DEFAULT_INTERVAL_MS = 15_000;

/** A label value that satisfies one filter entry ("v", "!=v", "=~a|b", "!~re"). */
function satisfying(matcher: string): string {
  if (matcher.startsWith('!=') || matcher.startsWith('!~')) return 'bench-other';
  if (matcher.startsWith('=~')) return matcher.slice(2).split('|')[0].replace(/[\\^$.*+?()[\]{}]/g, '') || 'x';
  return matcher;
}

interface MetricPlan { kind: string; labelSets: Array<Record<string, string>>; groupBy: Set<string> }

/** Which label sets each metric read by a rule gets: one per rule, the rule's filter satisfied. */
function plan(rules: readonly Rule[]): Map<string, MetricPlan> {
  const plans = new Map<string, MetricPlan>();
  const add = (metric: string, filter: Record<string, string> | undefined, groupBy: readonly string[]) => {
    const known = KNOWN_METRICS[metric];
    if (!known) return;
    let p = plans.get(metric);
    if (!p) plans.set(metric, (p = { kind: known.kind, labelSets: [], groupBy: new Set() }));
    const labels: Record<string, string> = {};
    for (const [k, m] of Object.entries(filter ?? {})) labels[k] = satisfying(m);
    p.labelSets.push(labels);
    for (const g of groupBy) p.groupBy.add(g);
  };
  for (const r of rules) {
    add(r.metric, r.filter, r.groupBy);
    if (r.denominator) add(r.denominator, r.denominatorFilter ?? r.filter, r.groupBy);
  }
  return plans;
}

/** A registry with `total` series spread over the planned metrics, and a step that moves them all. */
function build(rules: readonly Rule[], total: number) {
  const registry = new HotMetricRegistry(total * 2);
  const plans = plan(rules);
  const perMetric = Math.max(1, Math.floor(total / plans.size));
  const steps: Array<(k: number) => void> = [];
  let made = 0;
  for (const [name, p] of plans) {
    const known = KNOWN_METRICS[name];
    const spread = known.attributes.find((a) => !p.groupBy.has(a) && p.labelSets.every((l) => l[a] === undefined)) ?? 'bench.shard';
    const d = { name, description: name, unit: p.kind === 'histogram' ? 's' : '1' };
    for (let i = 0; i < perMetric; i++, made++) {
      const labels: Record<string, string> = { ...p.labelSets[i % p.labelSets.length], [spread]: `v${i}` };
      for (const g of p.groupBy) labels[g] ??= `${g}-${i % 50}`;
      if (p.kind === 'histogram') {
        const s = registry.histogram(d, BOUNDS).series(labels);
        steps.push((k) => { s.record(((i + k) % 40) / 20); s.record(((i * 7 + k) % 30) / 100); });
      } else if (p.kind === 'gauge') {
        const s = registry.gauge(d).series(labels);
        steps.push((k) => s.set((i + k) % 17 / 20));
      } else {
        const s = (p.kind === 'counter' ? registry.counter(d) : registry.upDownCounter(d)).series(labels);
        steps.push((k) => s.add((i + k) % 5));
      }
    }
  }
  let k = 0;
  return { registry, series: made, step: () => { k++; for (const s of steps) s(k); } };
}

function requirePrometheus(): void {
  const probe = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`prometheus is not installed (${probe.error.message}). Install it with: apt-get update && apt-get install -y prometheus`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Sum of the last evaluation duration of every rule group, from Prometheus' own /metrics. */
async function ruleEvalSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('prometheus_rule_group_last_duration_seconds{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs Prometheus and pulseguard side by side over `total` series; medians in ms. */
async function compare(total: number): Promise<{ prometheus: number; cycle: number; series: number; rules: number }> {
  resetEvaluatorState();
  const config = resolveConfig({ service: { name: 'bench' } });
  const rules = buildDefaultRules(config);
  const { registry, series, step } = build(rules, total);
  const producer = createHotMetricProducer(registry, resourceFromAttributes({}));
  const serializer = new PrometheusSerializer();
  let exposition = serializer.serialize((await producer.collect()).resourceMetrics);
  const target: Server = createServer((_req, res) => res.end(exposition));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-bench-prom-'));
  writeFileSync(join(dir, 'rules.yml'), renderRuleFile(rules, { evaluationIntervalMs: 1000 }));
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ['rules.yml']\n`
    + `scrape_configs:\n  - job_name: svc\n    static_configs:\n      - targets: ['127.0.0.1:${(target.address() as AddressInfo).port}']\n`);
  const port = await freePort();
  const prom: ChildProcess = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  let clock = Date.now();
  const ev = new Evaluator({ rules, collect: async () => (await producer.collect()).resourceMetrics, now: () => clock, intervalMs: 1000 });
  const promReadings: number[] = [];
  const cycles: number[] = [];
  try {
    for (let s = 0; s < WARMUP_S + READINGS; s++) {
      step();
      exposition = serializer.serialize((await producer.collect()).resourceMetrics);
      clock += 1000;
      const t = process.hrtime.bigint();
      await ev.evaluateNow();
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      await sleep(1000);
      if (s < WARMUP_S) continue;
      cycles.push(ms);
      promReadings.push(await ruleEvalSeconds(url).then((x) => x * 1000, () => NaN));
      if (s % 5 === 0) process.stderr.write(`  ${total} series: ${s - WARMUP_S + 1}/${READINGS} readings\n`);
    }
  } finally {
    const exited = new Promise((r) => prom.once('exit', r));
    prom.kill('SIGTERM');
    const force = setTimeout(() => prom.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
    target.closeAllConnections();
    await new Promise((r) => target.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  const prometheus = median(promReadings.filter((x) => x > 0));
  if (!Number.isFinite(prometheus)) throw new Error('Prometheus reported no rule group evaluation (check the rule file with promtool check rules)');
  return { prometheus, cycle: median(cycles), series, rules: rules.length };
}

/**
 * pulseguard's side alone, for profilers (`--cpu-prof`, valgrind's callgrind): `cycles` cycles
 * over `total` series after `warmup` cycles, the clock advancing 1 s per cycle as in compare().
 * Run: `node dist/bench/evaluator-prometheus.bench.js --cycles-only <series> <warmup> <cycles>`.
 */
export async function cyclesOnly(total: number, warmup: number, cycles: number): Promise<number> {
  resetEvaluatorState();
  const rules = buildDefaultRules(resolveConfig({ service: { name: 'bench' } }));
  const { registry, step } = build(rules, total);
  const producer = createHotMetricProducer(registry, resourceFromAttributes({}));
  let clock = Date.now();
  const ev = new Evaluator({ rules, collect: async () => (await producer.collect()).resourceMetrics, now: () => clock, intervalMs: 1000 });
  let ms = 0;
  for (let c = 0; c < warmup + cycles; c++) {
    step();
    clock += 1000;
    const t = process.hrtime.bigint();
    await ev.evaluateNow();
    if (c >= warmup) ms += Number(process.hrtime.bigint() - t) / 1e6;
  }
  return ms / Math.max(1, cycles);
}

/** Runs the suite and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  requirePrometheus();
  const rows: BenchRow[] = [];
  for (const n of [1000, 10_000]) {
    const m = await compare(n);
    rows.push(row({ suite: 'evaluator-prometheus', case: `cycle vs Prometheus rule evaluation (median), ${m.series} series, ${m.rules} rules`,
      baseline: m.prometheus, pulseguard: m.cycle, unit: 'ms', target: '<= 0.5x', max: 0.5 }));
    const share = (m.cycle / DEFAULT_INTERVAL_MS) * 100;
    rows.push({ suite: 'evaluator-prometheus', case: `share of one core at the 15 s default interval, ${m.series} series`, baseline: 0.1, pulseguard: share,
      unit: '%', ratio: share / 0.1, target: n === 10_000 ? '< 0.1%' : 'report', verdict: n !== 10_000 ? 'info' : share < 0.1 ? 'pass' : 'fail' });
  }
  return rows;
}

if (require.main === module && process.argv[2] === '--cycles-only') {
  const [total, warmup, cycles] = process.argv.slice(3).map(Number);
  void cyclesOnly(total || 10_000, warmup || 0, cycles || 20).then((ms) => process.stdout.write(`mean cycle ${ms.toFixed(3)} ms\n`));
} else if (require.main === module) {
  void run().then((rows) => {
    process.stdout.write(`${systemLine()}\n`);
    for (const r of rows) {
      process.stdout.write(`${r.case.padEnd(80)} baseline ${r.baseline.toFixed(3).padStart(9)} ${r.unit}  pulseguard ${r.pulseguard.toFixed(3).padStart(9)} ${r.unit}  ratio ${r.ratio.toFixed(2)}  ${r.verdict} (${r.target})\n`);
    }
  }, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
