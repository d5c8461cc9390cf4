import { createRequire } from 'node:module';

/**
 * The optional peer dependencies pulseguard loads only when a configured feature needs them,
 * with the feature that needs each one (for error messages). ws, pg and telegram are peers too,
 * but pulseguard never loads them: it patches whichever copy the app loads.
 */
export const OPTIONAL_PEERS = {
  ioredis: 'the Redis rate-limit store (rateLimits.store: "redis")',
  nodemailer: 'the e-mail alert channel (alerting.channels.email)',
} as const;

/** A package pulseguard loads on demand. */
export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/** Resolves a package name to a file, throwing when it cannot be found (require.resolve). */
export type PackageResolver = (name: string) => string;

// Resolved from pulseguard's own location: with npm >= 7 a peer is installed beside pulseguard (in
// the app's node_modules), which is where this require() looks.
const requireFromHere = createRequire(__filename);

/** The resolver pulseguard uses: require.resolve from its own files. @internal */
export const resolvePackage: PackageResolver = (name) => requireFromHere.resolve(name);

/** How to install a missing peer, for messages. @internal */
export function installHint(name: OptionalPeer): string {
  return `${OPTIONAL_PEERS[name]} needs the "${name}" package, which is not installed: npm install ${name}`;
}

/** Thrown when a configured feature needs an optional peer that is not installed. */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
  constructor(
    /** The package to install. */
    readonly packageName: OptionalPeer,
    options?: { cause?: unknown },
  ) {
    super(installHint(packageName), options);
  }
}

function isNotFound(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string };
  // Only the package itself missing; a missing file *inside* it is a broken install, not ours to hide.
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

/**
 * Loads an optional peer with require() on first use, so a configuration that does not use the
 * feature never pays for the package (ioredis alone is ~60 modules and ~150 ms of startup).
 * Throws {@link MissingPeerError}, naming the package to install, when it is absent.
 *
 * @internal
 */
export function loadOptionalPeer<T>(name: OptionalPeer): T {
  try {
    return requireFromHere(name) as T;
  } catch (err) {
    if (isNotFound(err, name)) throw new MissingPeerError(name, { cause: err });
    throw err;
  }
}
