import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigLoadError } from './config-load-error';
import { envConfig } from './env-config';
import { loadTypeScriptConfig } from './typescript-loader';
import { ConfigError, validateConfig } from './validate';
import type { ConfigProblem, PulseguardConfig } from './types';

/** File names looked for in the working directory. More than one present is an error. */
export const CONFIG_FILE_NAMES = ['pulseguard.config.ts', 'pulseguard.config.mjs', 'pulseguard.config.js', 'pulseguard.config.json'] as const;

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/** Where a configuration came from. */
export type ConfigSource = { kind: 'file'; file: string } | { kind: 'env'; cwd: string };

/** Options of {@link loadConfig}; everything defaults to the current process. */
export interface LoadConfigOptions {
  /** Directory searched for a configuration file. @default process.cwd() */
  cwd?: string;
  /** Environment read for PULSEGUARD_CONFIG and the env-only configuration. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** An explicit file (the CLI's argument); wins over PULSEGUARD_CONFIG and discovery. */
  file?: string;
}

/** An unvalidated configuration and where it came from. */
export interface LoadedConfigInput {
  readonly input: unknown;
  readonly source: ConfigSource;
  /** Config path -> environment variable, for env-built configurations. */
  readonly origins: ReadonlyMap<string, string>;
}

/** A validated configuration and where it came from. */
export interface LoadedConfig extends LoadedConfigInput {
  readonly config: PulseguardConfig;
}

/**
 * The configuration file to use: `file` if given, else PULSEGUARD_CONFIG (which must exist),
 * else the one `pulseguard.config.{ts,mjs,js,json}` in `cwd`; undefined when there is none.
 * Two candidates in one directory is an error rather than a silent precedence rule.
 */
export function findConfigFile(options: LoadConfigOptions = {}): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file ?? (env.PULSEGUARD_CONFIG?.trim() || undefined);
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      const via = options.file !== undefined ? 'given' : 'named by PULSEGUARD_CONFIG';
      throw new ConfigLoadError(`the configuration file ${via} does not exist: ${file}`, file);
    }
    return file;
  }
  const found = CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).filter((f) => existsSync(f));
  if (found.length > 1) {
    throw new ConfigLoadError(`found ${found.map((f) => basename(f)).join(' and ')} in ${cwd}; keep one of them`);
  }
  return found[0];
}

// A module's configuration: its default export (or CommonJS module.exports), or what a default
// exported function returns (sync or async), so `export default async () => ({...})` works.
// An ESM namespace without `default` (only named exports) is a mistake, not a configuration.
async function unwrapModule(file: string, exported: unknown, { isNamespace }: { isNamespace: boolean }): Promise<unknown> {
  let value: unknown = exported;
  if (isNamespace) value = (exported as { default?: unknown }).default;
  // Transpiled ESM seen through CommonJS: { __esModule: true, default: config }.
  if (value !== null && typeof value === 'object' && '__esModule' in value && 'default' in value) value = (value as { default: unknown }).default;
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new ConfigLoadError(`${file} must export the configuration object as its default export (export default defineConfig({...}) or module.exports = {...})`, file);
  }
  return value;
}

/** Reads one configuration file by its extension: JSON, JavaScript (ESM or CommonJS) or TypeScript. */
export async function readConfigFile(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    const text = await readFile(file, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new ConfigLoadError(`${file} is not valid JSON: ${(err as Error).message}`, file, { cause: err });
    }
  }
  if (JS_EXTENSIONS.has(ext)) {
    let namespace: unknown;
    try {
      // import() loads ESM and CommonJS alike, following the package's "type".
      namespace = await import(pathToFileURL(file).href);
    } catch (err) {
      throw new ConfigLoadError(`${file} failed to load: ${(err as Error).message}`, file, { cause: err });
    }
    return unwrapModule(file, namespace, { isNamespace: true });
  }
  if (TS_EXTENSIONS.has(ext)) {
    return unwrapModule(file, await loadTypeScriptConfig(file), { isNamespace: false });
  }
  throw new ConfigLoadError(`${file}: unsupported configuration file type "${ext}" (use .ts, .mjs, .js or .json)`, file);
}

/** Finds and reads the configuration (file or environment) without validating it. */
export async function loadConfigInput(options: LoadConfigOptions = {}): Promise<LoadedConfigInput> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const file = findConfigFile({ ...options, cwd, env });
  if (file !== undefined) return { input: await readConfigFile(file), source: { kind: 'file', file }, origins: new Map() };
  const fromEnv = envConfig(env, cwd);
  return { input: fromEnv.input, source: { kind: 'env', cwd }, origins: fromEnv.origins };
}

function explainEnvProblem(p: ConfigProblem, loaded: LoadedConfigInput): ConfigProblem {
  if (loaded.source.kind !== 'env') return p;
  if (p.path === 'service.name' && (loaded.input as { service?: { name?: unknown } }).service?.name === undefined) {
    return {
      path: p.path,
      message: `is required: no ${CONFIG_FILE_NAMES.join(', ')} in ${loaded.source.cwd}, and none of PULSEGUARD_SERVICE_NAME, OTEL_SERVICE_NAME or a package.json "name" is set`,
    };
  }
  const origin = loaded.origins.get(p.path);
  return origin ? { path: p.path, message: `${p.message} (from ${origin})` } : p;
}

/**
 * Validates a loaded configuration; throws {@link ConfigError} with every problem by path (for an
 * env-built configuration, each message names the variable it came from).
 */
export function validateLoadedConfig(loaded: LoadedConfigInput): LoadedConfig {
  const result = validateConfig(loaded.input);
  if (!result.ok) throw new ConfigError(result.problems.map((p) => explainEnvProblem(p, loaded)));
  return { ...loaded, config: result.config };
}

/**
 * Finds, reads and validates the configuration the way `pulseguard/register` and
 * `pulseguard check` do. Throws {@link ConfigLoadError} when it cannot be read and
 * {@link ConfigError} (every problem by path) when it is invalid.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  return validateLoadedConfig(await loadConfigInput(options));
}

/** "pulseguard.config.mjs (/srv/app/pulseguard.config.mjs)" or "environment variables". */
export function describeConfigSource(source: ConfigSource): string {
  return source.kind === 'file' ? source.file : `environment variables (no configuration file in ${source.cwd})`;
}
