import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { appPackageVersion } from '../app-version';

/**
 * The schema's own logic (duration parsing, refinements, defaults computed at start), in a module
 * without zod: the zod schema and the compiled schema (../schema-ir) both call these functions,
 * so a check is written once whichever validates.
 */

export const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a Prometheus-style duration ("30s", "5m", "1h") or a number of milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = DURATION_RE.exec(value);
  if (!m) throw new Error(`invalid duration "${value}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** A trusted-proxy entry: an IP address, a CIDR range, or "loopback". */
export function isProxyEntry(entry: string): boolean {
  if (entry === 'loopback') return true;
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

interface Levels { warning: number; critical: number }
interface RootShape { alerting: { fleet: { enabled: boolean } }; rateLimits: { store: string } }
interface HealthShape { detailed: { enabled: boolean; token?: string } }
interface RuleShape { warning?: number; critical?: number; statistic: string; denominator?: string }

/** Refinements by name: the compiled schema refers to them by these names. */
export const REFINEMENTS = {
  levelsOrdered: (l: Levels): boolean => l.critical >= l.warning,
  proxyEntry: isProxyEntry,
  fleetNeedsRedis: (c: RootShape): boolean => !c.alerting.fleet.enabled || c.rateLimits.store === 'redis',
  detailedNeedsToken: (h: HealthShape): boolean => !h.detailed.enabled || h.detailed.token !== undefined,
  ruleHasLevel: (r: RuleShape): boolean => r.warning !== undefined || r.critical !== undefined,
  ratioHasDenominator: (r: RuleShape): boolean => r.statistic !== 'ratio' || r.denominator !== undefined,
  absent: (v: unknown): boolean => v === undefined,
};
export type RefinementName = keyof typeof REFINEMENTS;

// `||`: an empty variable counts as unset, as everywhere else (a default is validated like a value).
/** Defaults read from the environment or the host when the configuration is validated. */
export const DYNAMIC_DEFAULTS = {
  serviceVersion: (): string => process.env.APP_VERSION || process.env.npm_package_version || appPackageVersion() || '0.0.0',
  serviceInstanceId: (): string => `${hostname()}-${process.pid}`,
  otlpEndpoint: (): string => process.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318',
  journalDir: (): string => process.env.PULSEGUARD_JOURNAL_DIR || '.pulseguard',
};
export type DynamicDefaultName = keyof typeof DYNAMIC_DEFAULTS;
