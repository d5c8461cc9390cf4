import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod/v3';
import { parseValid } from '../../../src/config/fast-parse';
import { SCHEMA_ROOTS } from '../../../src/config/schema-at';
import { compileSchemaRoots, formatSchemaIr } from '../../../src/config/schema-ir/compile-roots';
import type { SchemaRoot } from '../../../src/config/schema-ir/ir';
import { DEFAULT_POLICIES } from '../../../src/config/schema/default-policies';
import { specRules } from '../../../src/rules/default-rules';
import { resolveConfig } from '../../../src/config/validate';
import { REPO_ROOT } from '../../helpers/temp-dir';

type Json = Record<string, unknown>;

/** Values written in the wrong place (and some in the right one) at every option. */
const PROBES: unknown[] = [
  undefined, null, 0, -1, 1, 1.5, 65_536, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '', 'x', '30s', '0ms', '99999999999999999999d',
  'http://example.test', 'info', 'queue', true, false, [], ['x'], [''], {}, { unknownOption: 1 }, () => 'fn', /re/, new Date(0),
];

const clone = <T>(v: T): T => (typeof v === 'function' || v instanceof RegExp ? v : Array.isArray(v) ? v.map(clone) as T
  : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T : v);

function setAt(input: Json, path: readonly (string | number)[], value: unknown): Json {
  const out = clone(input);
  let node: Json = out;
  path.slice(0, -1).forEach((seg, i) => {
    const next = node[seg];
    if (next === null || typeof next !== 'object') node[seg] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[seg] as Json;
  });
  node[path[path.length - 1]] = value;
  return out;
}

/** Every path of objects, arrays and leaves in `value`. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof RegExp)) for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/**
 * Runs `input` through zod and through the compiled schema: the compiled schema may decline a
 * valid input (zod then answers), but never accept an invalid one, and what it accepts must be
 * exactly zod's output. Returns whether it declined an input zod accepts.
 */
function compare(root: SchemaRoot, schema: z.ZodTypeAny, input: unknown, where: string): boolean {
  const expected = schema.safeParse(input);
  const fast = parseValid(root, input);
  if (fast === undefined) return expected.success;
  assert.ok(expected.success, `${where}: the compiled schema accepted what zod rejects: ${expected.success ? '' : JSON.stringify(expected.error.issues)}`);
  assert.deepStrictEqual(fast.value, expected.data, `${where}: outputs differ`);
  return false;
}

/** Compares a base input and every probe at every path of the base and of its resolved output; returns the declined valid inputs. */
function sweep(root: SchemaRoot, base: Json, extraPaths: (string | number)[][] = []): string[] {
  const schema = SCHEMA_ROOTS[root]();
  const declined: string[] = [];
  assert.equal(compare(root, schema, base, 'base'), false, `the compiled ${root} schema declined a valid base input`);
  const resolved = schema.parse(base) as Json;
  const paths = new Map([...pathsOf(base), ...pathsOf(resolved), ...extraPaths].map((p) => [p.join('.'), p]));
  for (const [key, path] of paths) {
    for (const probe of PROBES) {
      if (compare(root, schema, setAt(base, path, probe), `${root} ${key} = ${String(probe)}`)) declined.push(key);
    }
    // The resolved value written back is valid input too (durations in ms, lists as filled in).
    const back = path.reduce<unknown>((v, seg) => (v as Json | undefined)?.[seg], resolved);
    if (compare(root, schema, setAt(base, path, back), `${root} ${key} = resolved value`)) declined.push(key);
  }
  return [...new Set(declined)];
}

const FULL: Json = {
  service: { name: 'svc', version: '1.2.3', instanceId: 'i-1', environment: 'prod' },
  logging: { level: 'debug', redactPaths: ['req.headers.cookie'] },
  exporters: { prometheus: { port: 0, collectTimeoutMs: '5s' }, otlp: { enabled: true, endpoint: 'http://collector:4318', headers: { authorization: 'Bearer t' } } },
  instrumentations: { ws: { userKey: () => 'u', correlationId: () => 1, pingIntervalMs: '10s' }, telegram: { rotationIntervalMs: 0 }, pg: { spans: true } },
  thresholds: { websocket: { messageLatency: { warning: 50, critical: 60 } }, alertConfig: { errors: { threshold: 3, period: '30s' } } },
  rules: {
    custom: [
      { name: 'slow_api', metric: 'http.server.request.duration', statistic: 'p95', critical: 0.5, for: '5m', window: '10m', filter: { route: '=~/api/.*' } },
      { name: 'errors_ratio', metric: 'a.errors', statistic: 'ratio', denominator: 'a.total', denominatorFilter: { k: 'v' }, warning: 0.1, groupBy: ['route'] },
    ],
    disable: ['HighMemoryUsage'],
  },
  alerting: {
    channels: {
      slack: { webhookUrl: 'https://hooks.slack.test/x', channel: '#ops' },
      email: { host: 'smtp.test', from: 'ops@x.test', to: ['a@x.test'], user: 'u', password: 'p' },
      alertmanager: { url: 'http://am:9093' },
      webhook: { url: 'http://hook.test/alerts', headers: { 'x-token': 'secret' } },
    },
    matrix: { high: { channels: ['slack', 'email'], repeatIntervalMs: '10m' } },
    beforeSend: (a: unknown) => a,
    journal: { name: 'replica-1' },
  },
  rateLimits: {
    store: 'memory',
    policies: { 'api.custom': { points: 5, durationMs: '1m', mode: 'queue' }, 'api.auth': false },
    trustedProxies: ['loopback', '10.0.0.0/8', '::1'],
  },
  health: { port: 0, detailed: { enabled: true, token: '0123456789abcdef' } },
  errors: { rules: [{ class: 'network', codes: ['ECONNRESET'], messages: /reset/, statuses: [502] }], beforeSend: (e: unknown) => e },
  shutdown: { handleSignals: true },
};

describe('config: the compiled schema (src/config/schema-ir)', function () {
  this.timeout(120_000);

  it('is current: schema-ir.json is what the zod schemas compile to (npm run schema-ir rewrites it)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'src', 'config', 'schema-ir', 'schema-ir.json'), 'utf8');
    assert.equal(committed, formatSchemaIr(compileSchemaRoots()), 'schema-ir.json is stale: run `npm run schema-ir`');
  });

  it('agrees with zod on the configuration: every option of a full and a minimal config, each set to wrong and right values', () => {
    const minimal = sweep('config', { service: { name: 'svc' } }, [['alerting', 'silences'], ['alerting', 'fleet', 'enabled']]);
    const full = sweep('config', FULL);
    // The one check the compiled schema leaves to zod: the silences' ISO dates (z.string().datetime()).
    assert.deepEqual([...minimal, ...full].filter((p) => !p.startsWith('alerting.silences')), []);
  });

  it('agrees with zod on rules and rate-limit policies', () => {
    const pack = specRules(resolveConfig({ service: { name: 'svc' } }).thresholds);
    assert.ok(pack.length > 20);
    for (const r of pack) assert.deepEqual(sweepOne('rule', r as Json), [], `rule ${String(r.name)}`);
    for (const [name, p] of Object.entries(DEFAULT_POLICIES)) assert.deepEqual(sweepOne('policy', p as Json), [], `policy ${name}`);
    assert.deepEqual(sweep('rule', FULL_RULE), []);
    assert.deepEqual(sweep('policy', { points: 5, durationMs: '1m', maxSizeBytes: 10, mode: 'queue', maxQueueSize: 3, onStoreError: 'deny' }), []);
  });

  it('declines, for zod to word the problem, what zod rejects: cross-field rules and unknown options at every level', () => {
    const schema = SCHEMA_ROOTS.config();
    const cases: unknown[] = [
      { service: { name: 'svc' }, alerting: { fleet: { enabled: true } } },
      { service: { name: 'svc' }, health: { detailed: { enabled: true } } },
      { service: { name: 'svc' }, thresholds: { api: { errorRate: { warning: 0.5, critical: 0.1 } } } },
      { service: { name: 'svc' }, thresholds: { pools: { websocket: {} } } },
      { service: { name: 'svc' }, rules: { custom: [{ name: 'r', metric: 'm', statistic: 'ratio', warning: 1 }] } },
      { service: { name: 'svc' }, rules: { custom: [{ name: 'r', metric: 'm', statistic: 'p95' }] } },
      Object.assign(Object.create({ inherited: true }) as object, { service: { name: 'svc' } }),
    ];
    for (const p of pathsOf(FULL)) if (typeof p[p.length - 1] === 'string') cases.push(setAt(FULL, [...p.slice(0, -1), 'unknownOption'], 1));
    for (const input of cases) {
      assert.equal(schema.safeParse(input).success, false, `zod accepts ${JSON.stringify(input)}`);
      compare('config', schema, input, JSON.stringify(input));
      assert.equal(parseValid('config', input), undefined, `the compiled schema accepted ${JSON.stringify(input)}`);
    }
  });
});

const FULL_RULE: Json = {
  name: 'r_1', metric: 'm', statistic: 'ratio', denominator: 'd', denominatorFilter: { a: 'b' }, window: '1h', filter: { x: '!=y' },
  groupBy: ['g'], warning: 1, critical: 2, comparison: '<=', for: 1000, keepFiringFor: '30s', labels: { team: 't' },
  annotations: { summary: 's' }, recovery: 'reconnect', scale: 1000,
};

/** One valid input compared as is (no probes): the defaults the code writes must never need zod. */
function sweepOne(root: SchemaRoot, input: Json): string[] {
  return compare(root, SCHEMA_ROOTS[root](), input, `${root} ${JSON.stringify(input)}`) ? [JSON.stringify(input)] : [];
}
