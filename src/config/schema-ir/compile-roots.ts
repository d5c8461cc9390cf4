import { SCHEMA_ROOTS } from '../schema-at';
import { compileSchema } from './compile';
import type { SchemaIr, SchemaRoot } from './ir';

/** Every root schema compiled (what scripts/gen-schema-ir.mjs writes to schema-ir.json). */
export function compileSchemaRoots(): SchemaIr {
  const out = {} as SchemaIr;
  for (const root of Object.keys(SCHEMA_ROOTS) as SchemaRoot[]) out[root] = compileSchema(SCHEMA_ROOTS[root](), root === 'config' ? '(root)' : root);
  return out;
}

/** JSON with short nodes kept on one line, so a schema change reads as a small diff. */
export function formatSchemaIr(ir: SchemaIr): string {
  const format = (value: unknown, indent: string): string => {
    const flat = JSON.stringify(value);
    if (flat.length <= 100 || value === null || typeof value !== 'object') return flat;
    const inner = indent + '  ';
    if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
    return `{\n${Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${format(ir, '')}\n`;
}
