import { z } from 'zod/v3';
import { DURATION_RE, DYNAMIC_DEFAULTS, parseDuration, REFINEMENTS, type DynamicDefaultName, type RefinementName } from './checks';
import type { IrTag } from '../schema-ir/ir';

/**
 * Marks a node built from code (a refinement, a transform, a computed default) with what it means,
 * so the build can compile the schema to plain data (../schema-ir): a refinement or transform
 * without a tag fails that build instead of being guessed.
 */
export function irTag<T extends z.ZodTypeAny>(schema: T, tag: IrTag): T {
  (schema._def as { ir?: IrTag }).ir = tag;
  return schema;
}

/** `schema.refine` with one of the named checks of ./checks.ts. */
export function refineWith<T extends z.ZodTypeAny>(schema: T, check: RefinementName, params: { message: string; path?: (string | number)[] }): z.ZodEffects<T> {
  const predicate = REFINEMENTS[check] as (value: unknown) => boolean;
  // The cast keeps T's output type: refine() called on a generic T types it from ZodTypeAny (any).
  return irTag(schema.refine((v) => predicate(v), params) as z.ZodEffects<T>, { refine: check });
}

/** `schema.default(fn)` with one of the computed defaults of ./checks.ts. */
export function dynamicDefault<T extends z.ZodString>(schema: T, name: DynamicDefaultName): z.ZodDefault<T> {
  return irTag(schema.default(DYNAMIC_DEFAULTS[name]), { dynamicDefault: name });
}

/** A duration string, checked by the same pattern parseDuration reads. */
export const durationString = () => z.string().regex(DURATION_RE, 'expected a duration like "30s", "5m" or "1h", or a number of milliseconds');

/**
 * A duration in milliseconds, at least `min`: a number of ms, or a string like "30s", "5m", "1h"
 * (every duration option accepts both, like the rules' windows).
 */
export const durationMs = (min = 0, max = Number.MAX_SAFE_INTEGER) => irTag(
  z.union([z.number().int().min(min).max(max), durationString()])
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms < min || ms > max) ctx.addIssue({ code: 'custom', message: `expected a duration between ${min} ms and ${max} ms, got ${ms} ms` });
      return ms;
    }),
  { duration: [min, max] },
);
/** A ratio between 0 and 1. */
export const ratio = () => z.number().min(0).max(1);
/** A TCP port; 0 asks the OS for a free one. */
export const port = () => z.number().int().min(0).max(65535);
/** A warning/critical pair; critical must not be below warning. */
export const levels = (warning: number, critical: number) =>
  refineWith(
    z.object({ warning: z.number().finite().nonnegative().default(warning), critical: z.number().finite().nonnegative().default(critical) }).strict(),
    'levelsOrdered', { message: 'critical must be >= warning' },
  ).default({});
/**
 * An object schema whose every field has a default, so the whole section may be left out (zod 3's
 * `.default({})` parses `{}` through the object, which fills in the fields' defaults).
 */
export const section = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict().default({} as never);
/**
 * A knob that was removed because another one means the same thing: leaving it out is fine,
 * setting it is a configuration error that names the replacement.
 */
export const removed = (replacement: string) => refineWith(z.unknown().optional(), 'absent', { message: `removed; ${replacement}` });

/** A function-valued option (code config only); `message` says the expected signature. */
export const fn = <F>(message: string) => irTag(z.custom<F>((v) => typeof v === 'function', { message }), { custom: 'function' });
/** A RegExp-valued option. */
export const regExp = () => irTag(z.instanceof(RegExp, { message: 'expected a RegExp' }), { custom: 'regexp' });
