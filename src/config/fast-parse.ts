import type { z } from 'zod/v3';
import { INVALID, interpret, nodeAt } from './schema-ir/interpret';
import { SCHEMA_IR } from './schema-ir/generated';
import type { SchemaRoot } from './schema-ir/ir';
import type * as SchemaAtModule from './schema-at';

/**
 * Parsing against the configuration schema without loading zod when the input is valid (what a
 * start() with a working configuration does): the compiled schema (./schema-ir) decides and fills
 * in defaults; only an input it rejects is parsed again by zod, for zod's exact issues.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const zodAt = (root: SchemaRoot, path: readonly string[]): z.ZodTypeAny => (require('./schema-at') as typeof SchemaAtModule).zodSchemaAt(root, path);

/** The output zod would give a valid `input` at `path` of a root, or undefined when it is not valid. */
export function parseValid<T>(root: SchemaRoot, input: unknown, path: readonly string[] = []): { value: T } | undefined {
  const r = interpret(nodeAt(SCHEMA_IR[root], path), input);
  return r === INVALID ? undefined : { value: r as T };
}

/** zod's safeParse result, computed without zod when the input is valid. */
export function safeParseAt<T>(root: SchemaRoot, input: unknown, path: readonly string[] = [], params?: Partial<z.ParseParams>): z.SafeParseReturnType<unknown, T> {
  const valid = parseValid<T>(root, input, path);
  if (valid) return { success: true, data: valid.value };
  return zodAt(root, path).safeParse(input, params) as z.SafeParseReturnType<unknown, T>;
}

/** zod's parse: the output, or the ZodError zod throws. */
export function parseAt<T>(root: SchemaRoot, input: unknown, path: readonly string[] = []): T {
  const valid = parseValid<T>(root, input, path);
  return valid ? valid.value : zodAt(root, path).parse(input) as T;
}

/** The defaults of a section (its output for an absent value). */
export function defaultsAt<T>(root: SchemaRoot, path: readonly string[]): T {
  return parseAt<T>(root, undefined, path);
}
