import type { SchemaIr } from './ir';
import schemaIrJson from './schema-ir.json';

/** The compiled schemas (written by `npm run schema-ir`, checked current by test/src/config/schema-ir.test.ts). */
export const SCHEMA_IR = schemaIrJson as unknown as SchemaIr;
