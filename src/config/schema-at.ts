import { z } from 'zod/v3';
import { configSchema } from './schema';
import { ruleSchema } from './schema/rules';
import { policySchema } from './schema/rate-limits';
import { unwrapSchema } from './options-at';
import type { SchemaRoot } from './schema-ir/ir';

/** The zod schemas compiled to ./schema-ir, by root name. */
export const SCHEMA_ROOTS: Record<SchemaRoot, () => z.ZodTypeAny> = { config: configSchema, rule: ruleSchema, policy: policySchema };

/** The zod schema of the object field at `path` below a root (through defaults, optionals and refinements). */
export function zodSchemaAt(root: SchemaRoot, path: readonly string[]): z.ZodTypeAny {
  let schema = SCHEMA_ROOTS[root]();
  for (const seg of path) {
    const container = unwrapSchema(schema);
    const next = container instanceof z.ZodObject ? (container.shape as z.ZodRawShape)[seg] : undefined;
    if (!next) throw new Error(`no option "${seg}" in ${path.join('.')}`);
    schema = next;
  }
  return schema;
}
