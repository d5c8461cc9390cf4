import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/temp-dir';
import * as pulseguard from '../../src/index';
import type {
  AlertDispatcher, AlertsApi, ApmCollector, CrashReporter, DbApi, ErrorTracker, Health, Logger, PerformanceReport, PulseguardConfig,
  RateLimits, RecoveryRegistry, Severity, Telemetry, TelegramTelemetry, WebSocketTelemetry,
} from '../../src/index';

// Compile-time: every member of Telemetry has a type users can name from the package root.
type Members = {
  config: PulseguardConfig; logger: Logger; notifications: AlertDispatcher; recovery: RecoveryRegistry; health: Health;
  errors: ErrorTracker; apm: ApmCollector; crashReporter: CrashReporter | undefined; limits: RateLimits; db: DbApi;
  websocket: WebSocketTelemetry | undefined; alerts: AlertsApi; telegram: TelegramTelemetry | undefined;
  report: (options?: Parameters<Telemetry['report']>[0]) => PerformanceReport;
};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const membersNamed: { [K in keyof Members]: Same<Members[K], Telemetry[K]> } = {
  config: true, logger: true, notifications: true, recovery: true, health: true, errors: true, apm: true, crashReporter: true,
  limits: true, db: true, websocket: true, alerts: true, telegram: true, report: true,
};
const severities: Severity[] = ['warning', 'critical'];

describe('pulseguard (src/index.ts)', () => {
  it('exports exactly the functions and classes users call', () => {
    assert.deepEqual(Object.keys(pulseguard).sort(), [
      'ConfigError', 'ConfigLoadError', 'PulseguardPgInstrumentation', 'RateLimitUsageError', 'ReconnectError', 'TelegramInstrumentation',
      'VERSION', 'checkDatabase', 'classifyError',
      'closeWebSocketServers', 'compileClassificationRules', 'createApmCollector', 'createCrashReporter', 'createErrorTracker',
      'createExpressRateLimit', 'createFastifyRateLimitHook', 'createMemoryLeaseStore', 'createMemorySessionPool', 'createPulseguardMetricProducer',
      'createReconnectProcedure', 'createRedisLeaseStore', 'createStateRecoveryProcedure',
      'createTelegramFailoverProcedure', 'createTelegramReconnectProcedure', 'createWsInstrumentation', 'defineConfig',
      'getTelemetry', 'loadConfig', 'registerSecret', 'start', 'withRateLimit',
    ]);
  });

  it('names every export to an ESM import, TelegramInstrumentation (loaded on first access) included', () => {
    const url = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'index.js')).href;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `import * as p from ${JSON.stringify(url)}; import { TelegramInstrumentation } from ${JSON.stringify(url)};
       console.log(JSON.stringify({ names: Object.keys(p).filter((k) => !['default', 'module.exports', '__esModule'].includes(k)).sort(), telegram: typeof TelegramInstrumentation }));`,
    ], { encoding: 'utf8' });
    const seen = JSON.parse(out) as { names: string[]; telegram: string };
    assert.deepEqual(seen.names, Object.keys(pulseguard).sort());
    assert.equal(seen.telegram, 'function');
  });

  it('does not export internals', () => {
    for (const name of ['validateConfig', 'resolveConfig', 'buildDefaultRules', 'describeEffectiveRules', 'DEFAULT_POLICIES', 'retryWithBackoff', 'compileRules']) {
      assert.equal(name in pulseguard, false, `${name} is exported`);
    }
  });

  it('names every Telemetry member and one Severity', () => {
    assert.ok(Object.values(membersNamed).every((v) => v));
    assert.deepEqual(severities, ['warning', 'critical']);
  });

});
