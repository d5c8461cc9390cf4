import { createRequire } from 'node:module';
import { sep } from 'node:path';
import type { Logger } from '../logging/logger';
import type { PackageResolver } from './optional-peer';

/** The libraries pulseguard patches. */
export const PATCHED_PACKAGES = ['ws', 'pg', 'telegram'] as const;

/** One of {@link PATCHED_PACKAGES}. */
export type PatchedPackage = (typeof PATCHED_PACKAGES)[number];

// What each instrumentation does with a copy loaded before it was enabled: the ws and pg ones patch
// every copy they find in require.cache, wherever it is installed; the telegram one patches the
// copy pulseguard resolves, so another copy loaded first (the app's own, beside a nested one)
// would stay unpatched and silent. Keep in step with the instrumentations' preload handling.
const PATCHES_EVERY_LOADED_COPY: Readonly<Record<PatchedPackage, boolean>> = { ws: true, pg: true, telegram: false };

// Per process, so a second start() (tests, a restart after reconfiguration) does not repeat it.
const warned = new Set<string>();

const requireFromHere = createRequire(__filename);

function packageRoot(file: string, name: string): string | undefined {
  const marker = `${sep}node_modules${sep}${name}${sep}`;
  const at = file.lastIndexOf(marker);
  return at < 0 ? undefined : file.slice(0, at + marker.length - 1);
}

/**
 * The installed copies of `name` (package directories) that have a file in require.cache: CommonJS
 * requires and ESM imports of a CommonJS package both land there.
 *
 * @internal
 */
export function loadedCopies(name: string, cache: Record<string, unknown> = require.cache): string[] {
  const roots = new Set<string>();
  for (const file of Object.keys(cache)) {
    const root = packageRoot(file, name);
    if (root !== undefined) roots.add(root);
  }
  return [...roots];
}

/** A copy of a patched library that was loaded before pulseguard and that it cannot patch. */
export interface UnpatchedCopy {
  name: PatchedPackage;
  /** Where the loaded copy is installed. */
  dir: string;
  /** The copy pulseguard instruments, or undefined when it resolves none. */
  instrumented: string | undefined;
}

/**
 * The copies of the enabled libraries that were loaded before pulseguard started and that its
 * instrumentations will not patch. @internal
 */
export function unpatchedCopies(
  enabled: Readonly<Record<PatchedPackage, boolean>>,
  cache: Record<string, unknown> = require.cache,
  resolve: PackageResolver = (n) => requireFromHere.resolve(n),
): UnpatchedCopy[] {
  const out: UnpatchedCopy[] = [];
  for (const name of PATCHED_PACKAGES) {
    if (!enabled[name] || PATCHES_EVERY_LOADED_COPY[name]) continue;
    const copies = loadedCopies(name, cache);
    if (copies.length === 0) continue;
    let instrumented: string | undefined;
    try {
      instrumented = packageRoot(resolve(name), name);
    } catch {
      instrumented = undefined;
    }
    for (const dir of copies) if (dir !== instrumented) out.push({ name, dir, instrumented });
  }
  return out;
}

/**
 * Warns once per package and process when the app loaded a copy of ws, pg or telegram before
 * pulseguard started that pulseguard cannot patch any more: its metrics would be silently absent.
 * Returns the packages warned about now.
 *
 * @internal
 */
export function warnPreloadedPackages(
  enabled: Readonly<Record<PatchedPackage, boolean>>,
  logger: Logger,
  cache: Record<string, unknown> = require.cache,
  resolve?: PackageResolver,
): PatchedPackage[] {
  const now: PatchedPackage[] = [];
  for (const copy of unpatchedCopies(enabled, cache, resolve)) {
    if (warned.has(copy.name)) continue;
    warned.add(copy.name);
    now.push(copy.name);
    logger.warn(
      { package: copy.name, loaded: copy.dir, instrumented: copy.instrumented ?? null },
      `a copy of "${copy.name}" was loaded before pulseguard started, and it is not the copy pulseguard instruments, so it will not be instrumented: ` +
        `start pulseguard first (node --import pulseguard/register, or await start() before requiring ${copy.name}), and install one copy (npm ls ${copy.name})`,
    );
  }
  return now;
}
