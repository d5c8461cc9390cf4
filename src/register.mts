/**
 * `node --import pulseguard/register app.js`: starts pulseguard before the app's first line, for
 * ESM and CommonJS apps alike.
 *
 * 1. Registers the OpenTelemetry ESM loader hook (import-in-the-middle) from inside this
 *    `--import`ed module, before anything of the app is imported and before the SDK starts. On
 *    Node 20 a bare `--import @opentelemetry/instrumentation/hook.mjs` leaves the app's ESM
 *    imports unpatched; `module.register()` here works (docs/cli.md, `pulseguard/register`). The hook is
 *    resolved from this file, i.e. it is the copy that pulseguard's own instrumentations use.
 * 2. Finds the configuration: `pulseguard.config.{ts,mjs,js,json}` in the working directory, the
 *    file named by PULSEGUARD_CONFIG, or environment variables (docs/configuration.md).
 * 3. Awaits `start()`. This file is ESM on purpose: Node waits for an `--import`ed module's
 *    top-level await before it loads the app, so the SDK, its instrumentations and /metrics are
 *    all up when the app starts. (A CommonJS preload cannot wait, and the app would race it.)
 *
 * An invalid configuration, or a start that fails (e.g. the metrics port is taken), prints every
 * problem to stderr and exits with code 1: this is startup, and failing fast is right.
 */
import { createRequire, register } from 'node:module';
import type * as LoadConfigModule from './config/load-config.js';
import type * as SdkModule from './sdk/start.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

// Through the package's bundle, the copy `require('pulseguard')` gives the app: the telemetry
// started here is the one the app's getTelemetry() and adapters find.
const pulseguard = createRequire(import.meta.url)('../bundle/pulseguard.js') as { main: typeof SdkModule; config: typeof LoadConfigModule };
const { loadConfig, describeConfigSource } = pulseguard.config;
const { start } = pulseguard.main;

try {
  // Loaded after the hook is in place: modules the configuration file imports go through it too.
  const loaded = await loadConfig();
  const telemetry = await start(loaded.input as Parameters<typeof start>[0]);
  telemetry.logger.debug({ configSource: describeConfigSource(loaded.source) }, 'pulseguard started by pulseguard/register');
} catch (err) {
  const text = err instanceof Error ? (err.name === 'ConfigError' || err.name === 'ConfigLoadError' ? err.message : `could not start: ${err.message}`) : String(err);
  process.stderr.write(`pulseguard: ${text}\n`);
  process.exit(1);
}
