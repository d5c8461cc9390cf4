import { z } from 'zod/v3';

const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a Prometheus-style duration ("30s", "5m", "1h") or a number of milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = DURATION_RE.exec(value);
  if (!m) throw new Error(`invalid duration "${value}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** A duration string, checked by the same pattern parseDuration reads. */
export const durationString = () => z.string().regex(DURATION_RE, 'expected a duration like "30s", "5m" or "1h", or a number of milliseconds');

/**
 * A duration in milliseconds, at least `min`: a number of ms, or a string like "30s", "5m", "1h"
 * (every duration option accepts both, like the rules' windows).
 */
export const durationMs = (min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.union([z.number().int().min(min).max(max), durationString()])
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms < min || ms > max) ctx.addIssue({ code: 'custom', message: `expected a duration between ${min} ms and ${max} ms, got ${ms} ms` });
      return ms;
    });
/** A ratio between 0 and 1. */
export const ratio = () => z.number().min(0).max(1);
/** A TCP port; 0 asks the OS for a free one. */
export const port = () => z.number().int().min(0).max(65535);
/** A warning/critical pair; critical must not be below warning. */
export const levels = (warning: number, critical: number) =>
  z
    .object({ warning: z.number().finite().nonnegative().default(warning), critical: z.number().finite().nonnegative().default(critical) })
    .strict()
    .refine((l) => l.critical >= l.warning, { message: 'critical must be >= warning' })
    .default({});
/**
 * An object schema whose every field has a default, so the whole section may be left out (zod 3's
 * `.default({})` parses `{}` through the object, which fills in the fields' defaults).
 */
export const section = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict().default({} as never);
/**
 * A knob that was removed because another one means the same thing: leaving it out is fine,
 * setting it is a configuration error that names the replacement.
 */
export const removed = (replacement: string) =>
  z.unknown().optional().refine((v) => v === undefined, { message: `removed; ${replacement}` });
