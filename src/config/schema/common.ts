import { z } from 'zod';

/** A duration in milliseconds (non-negative integer). */
export const durationMs = () => z.number().int().nonnegative();
/** A ratio between 0 and 1. */
export const ratio = () => z.number().min(0).max(1);
/** A TCP port; 0 asks the OS for a free one. */
export const port = () => z.number().int().min(0).max(65535);
/** A warning/critical pair; critical must not be below warning. */
export const levels = (warning: number, critical: number) =>
  z
    .object({ warning: z.number().nonnegative().default(warning), critical: z.number().nonnegative().default(critical) })
    .strict()
    .refine((l) => l.critical >= l.warning, { message: 'critical must be >= warning' })
    .prefault({});
/** An object schema whose every field has a default, so the whole section may be left out. */
export const section = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict().prefault({} as never);
/**
 * A knob that was removed because another one means the same thing: leaving it out is fine,
 * setting it is a configuration error that names the replacement.
 */
export const removed = (replacement: string) =>
  z.unknown().optional().refine((v) => v === undefined, { message: `removed; ${replacement}` });
