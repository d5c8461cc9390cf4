import { sep } from 'node:path';
import type { Logger } from '../logging/logger';

/** The libraries pulseguard patches, by the config switch that enables each. */
export const PATCHED_PACKAGES = ['ws', 'pg', 'telegram'] as const;

/** One of {@link PATCHED_PACKAGES}. */
export type PatchedPackage = (typeof PATCHED_PACKAGES)[number];

// Per process, so a second start() (tests, a restart after reconfiguration) does not repeat it.
const warned = new Set<string>();

/**
 * The packages among `names` that already have a file in require.cache, whichever copy (the app's
 * own, a nested one): CommonJS requires and ESM imports of these CommonJS packages both land there.
 * Read from the cache itself, not require.resolve(), which would find pulseguard's view of the
 * package and miss the copy the app loaded.
 *
 * @internal
 */
export function loadedPackages(names: readonly string[], cache: Record<string, unknown> = require.cache): string[] {
  const markers = names.map((name) => ({ name, marker: `${sep}node_modules${sep}${name}${sep}` }));
  const found = new Set<string>();
  for (const file of Object.keys(cache)) {
    for (const { name, marker } of markers) if (file.includes(marker)) found.add(name);
  }
  return names.filter((n) => found.has(n));
}

/**
 * Warns once per package and process when a library pulseguard is about to patch was loaded before
 * it started: the require hooks only see later loads, so that copy (ws's internal files above all)
 * may stay unpatched and its metrics silently absent. Returns the packages warned about now.
 *
 * @internal
 */
export function warnPreloadedPackages(enabled: Readonly<Record<PatchedPackage, boolean>>, logger: Logger, cache: Record<string, unknown> = require.cache): string[] {
  const names = PATCHED_PACKAGES.filter((n) => enabled[n] && !warned.has(n));
  const preloaded = loadedPackages(names, cache);
  for (const name of preloaded) {
    warned.add(name);
    logger.warn(
      { package: name },
      `"${name}" was loaded before pulseguard started, so it may not be instrumented: start pulseguard first (node --import pulseguard/register, or await start() before requiring ${name})`,
    );
  }
  return preloaded;
}
