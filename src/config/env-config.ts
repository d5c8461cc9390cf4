import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One environment variable pulseguard reads. */
export interface EnvVarSpec {
  /** The variable's name. */
  readonly name: string;
  /** The configuration path it sets, if any. */
  readonly path?: string;
  /** When it is read: only without a configuration file, or always (a schema default / file lookup). */
  readonly when: 'no-file' | 'always';
  /** What it does (rendered into docs/configuration.md). */
  readonly description: string;
}

/**
 * Every environment variable pulseguard reads, in the order docs/configuration.md lists them.
 * The documentation is generated from this table, so code and docs cannot drift.
 */
export const ENV_VARS: readonly EnvVarSpec[] = [
  { name: 'PULSEGUARD_CONFIG', when: 'always', description: 'Path of the configuration file, relative to the working directory. When set, the file must exist; discovery in the working directory is skipped.' },
  { name: 'PULSEGUARD_SERVICE_NAME', path: 'service.name', when: 'no-file', description: 'Service name. Falls back to `OTEL_SERVICE_NAME`, then to the `name` in `./package.json`.' },
  { name: 'OTEL_SERVICE_NAME', path: 'service.name', when: 'no-file', description: 'Service name when `PULSEGUARD_SERVICE_NAME` is not set (the OpenTelemetry convention).' },
  { name: 'PULSEGUARD_SERVICE_VERSION', path: 'service.version', when: 'no-file', description: 'Service version. Falls back to the schema default (`APP_VERSION`, `npm_package_version`, the app\'s package.json, "0.0.0").' },
  { name: 'PULSEGUARD_ENVIRONMENT', path: 'service.environment', when: 'no-file', description: 'deployment.environment.name (e.g. "production").' },
  { name: 'PULSEGUARD_PROMETHEUS_ENABLED', path: 'exporters.prometheus.enabled', when: 'no-file', description: '`false` (or `0`) turns the /metrics endpoint off.' },
  { name: 'PULSEGUARD_PROMETHEUS_PORT', path: 'exporters.prometheus.port', when: 'no-file', description: 'Port of the /metrics endpoint (0 picks a free port).' },
  { name: 'PULSEGUARD_PROMETHEUS_HOST', path: 'exporters.prometheus.host', when: 'no-file', description: 'Interface the /metrics endpoint binds.' },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: 'exporters.otlp.endpoint', when: 'always', description: 'Without a file: setting it enables OTLP/HTTP trace export to this base URL. With a file: the default of `exporters.otlp.endpoint`.' },
  { name: 'PULSEGUARD_LOG_LEVEL', path: 'logging.level', when: 'no-file', description: 'pino level: fatal, error, warn, info, debug, trace or silent.' },
  { name: 'PULSEGUARD_JOURNAL_DIR', path: 'alerting.journal.dir', when: 'always', description: 'Default of `alerting.journal.dir`, the directory of the alert journal (like Alertmanager\'s `--storage.path`).' },
  { name: 'APP_VERSION', path: 'service.version', when: 'always', description: 'Default of `service.version` (then `npm_package_version`, then the version in the app\'s package.json, then "0.0.0").' },
];

/** A configuration built from the environment, with the variable each path came from. */
export interface EnvConfig {
  /** Unvalidated configuration input. */
  readonly input: Record<string, unknown>;
  /** Config path -> the environment variable that set it (for error messages). */
  readonly origins: ReadonlyMap<string, string>;
}

// Numbers and booleans arrive as text; anything that does not parse is passed through as the
// string, so the schema reports it ("expected number, got "abc"") with the variable's name.
function parseInteger(raw: string): number | string {
  return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
}

function parseBoolean(raw: string): boolean | string {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return raw;
}

function packageName(cwd: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof pkg.name === 'string' && pkg.name.length > 0 ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * Builds a configuration from environment variables, used when there is no configuration file.
 * Empty variables count as unset. `service.name` comes from PULSEGUARD_SERVICE_NAME, then
 * OTEL_SERVICE_NAME, then the `name` in `<cwd>/package.json`.
 */
export function envConfig(env: NodeJS.ProcessEnv, cwd: string): EnvConfig {
  const input: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const set = (path: string, value: unknown, origin: string): void => {
    setPath(input, path, value);
    origins.set(path, origin);
  };

  const nameVar = ['PULSEGUARD_SERVICE_NAME', 'OTEL_SERVICE_NAME'].find((n) => get(n) !== undefined);
  if (nameVar) set('service.name', get(nameVar), nameVar);
  else {
    const fromPackage = packageName(cwd);
    // Left undefined when nothing names the service: validation then reports service.name.
    set('service.name', fromPackage, fromPackage ? `${join(cwd, 'package.json')} "name"` : 'PULSEGUARD_SERVICE_NAME');
  }
  const version = get('PULSEGUARD_SERVICE_VERSION');
  if (version !== undefined) set('service.version', version, 'PULSEGUARD_SERVICE_VERSION');
  const environment = get('PULSEGUARD_ENVIRONMENT');
  if (environment !== undefined) set('service.environment', environment, 'PULSEGUARD_ENVIRONMENT');

  const promEnabled = get('PULSEGUARD_PROMETHEUS_ENABLED');
  if (promEnabled !== undefined) set('exporters.prometheus.enabled', parseBoolean(promEnabled), 'PULSEGUARD_PROMETHEUS_ENABLED');
  const promPort = get('PULSEGUARD_PROMETHEUS_PORT');
  if (promPort !== undefined) set('exporters.prometheus.port', parseInteger(promPort), 'PULSEGUARD_PROMETHEUS_PORT');
  const promHost = get('PULSEGUARD_PROMETHEUS_HOST');
  if (promHost !== undefined) set('exporters.prometheus.host', promHost, 'PULSEGUARD_PROMETHEUS_HOST');

  const otlp = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlp !== undefined) {
    set('exporters.otlp.enabled', true, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    set('exporters.otlp.endpoint', otlp, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  const level = get('PULSEGUARD_LOG_LEVEL');
  if (level !== undefined) set('logging.level', level.trim().toLowerCase(), 'PULSEGUARD_LOG_LEVEL');
  return { input, origins };
}
