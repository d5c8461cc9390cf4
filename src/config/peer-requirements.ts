import { installHint, resolvePackage, type OptionalPeer, type PackageResolver } from '../internal/optional-peer';
import type { ConfigProblem, PulseguardConfig } from './types';

/** Which configured feature needs which optional peer: the config path that turns it on. */
const REQUIREMENTS: ReadonlyArray<{ path: string; peer: OptionalPeer; uses(config: PulseguardConfig): boolean }> = [
  { path: 'rateLimits.store', peer: 'ioredis', uses: (c) => c.rateLimits.store === 'redis' },
  { path: 'alerting.channels.email', peer: 'nodemailer', uses: (c) => c.alerting.channels.email !== undefined },
];

/**
 * The optional peer dependencies the configuration needs and the app has not installed, as
 * configuration problems (path of the feature, package to install). start() and `pulseguard check`
 * report them with the schema's problems, so a missing package fails at startup instead of at the
 * first Redis decision or the first e-mail.
 */
export function missingPeerProblems(config: PulseguardConfig, resolve: PackageResolver = resolvePackage): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const r of REQUIREMENTS) {
    if (!r.uses(config)) continue;
    try {
      resolve(r.peer);
    } catch {
      problems.push({ path: r.path, message: installHint(r.peer) });
    }
  }
  return problems;
}
