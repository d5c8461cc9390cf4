// The architecture, checked by dependency-cruiser in `npm run lint` (docs/architecture.md).
// Data flows one way: instrumentations -> metric stream (src/metrics) -> evaluator -> alerting,
// recovery, health, report. An import against that flow, or a cycle, fails the lint.
//
// The composition root is src/telemetry (being renamed src/sdk; both spellings match) except its
// active-telemetry leaf, which any area may read. Type-only imports count too: they are how a cycle
// between a types.ts and the implementation it describes starts.

/** The composition root, without the active-telemetry leaf. */
const COMPOSITION_ROOT = '^src/(telemetry|sdk)/';
const ACTIVE_TELEMETRY_LEAF = '^src/(telemetry|sdk)/active-telemetry\\.ts$';
/** Areas downstream of the metric stream: what reacts to rule states. */
const DOWNSTREAM = '^src/(evaluator|rules|alerting|recovery|health|adapters|report)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that load each other (move the shared part into its own leaf, often types.ts).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'producers-upstream',
      severity: 'error',
      comment:
        'Instrumentations and host metric producers only record into the metric stream: they do not import the ' +
        'evaluator, the rule pack, alerting, recovery, health, adapters or reports.',
      from: { path: '^(instrumentations|src/host-metrics)/' },
      to: { path: DOWNSTREAM },
    },
    {
      name: 'evaluator-engine-only',
      severity: 'error',
      comment:
        'The evaluator judges the metric stream; what reacts to its verdicts (alerting, recovery, health, adapters) ' +
        'depends on it, never the other way.',
      from: { path: '^src/evaluator/' },
      to: { path: ['^src/(alerting|recovery|health|adapters)/', '^instrumentations/'] },
    },
    {
      name: 'metrics-stream-upstream',
      severity: 'error',
      comment: 'The metric stream and the catalogue sit under the evaluator: they import names (semconv.ts), never an area that reads them.',
      from: { path: '^src/metrics/' },
      to: { path: [DOWNSTREAM, '^src/limits/', '^instrumentations/'], pathNot: '/semconv\\.ts$' },
    },
    {
      name: 'only-the-root-composes',
      severity: 'error',
      comment:
        'Only the composition root itself, the package entry points, the CLI, pulseguard/testing and the examples load ' +
        'start() and its wiring; an area reads the running telemetry through the active-telemetry leaf. Type-only ' +
        'imports of the area contract are allowed: they are erased at compile time (cycles through them still fail).',
      from: { path: '^(src|instrumentations|exporters)/', pathNot: ['^src/(telemetry|sdk|cli|testing)/', '^src/index\\.ts$', '^src/register\\.mts$'] },
      to: { path: COMPOSITION_ROOT, pathNot: ACTIVE_TELEMETRY_LEAF, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-stay-light',
      severity: 'error',
      comment:
        'pulseguard/express and pulseguard/fastify must not load the SDK: adapters import only each other, the ' +
        'active-telemetry leaf, the contained-call helper, the health route table and (type-only) public types.',
      from: { path: '^src/adapters/' },
      to: {
        path: '^(src|instrumentations|exporters)/',
        pathNot: ['^src/adapters/', ACTIVE_TELEMETRY_LEAF, '^src/internal/safe-call\\.ts$', '^src/health/routes\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      comment: 'Shipped code does not import test code.',
      from: { path: '^(src|instrumentations|exporters)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
