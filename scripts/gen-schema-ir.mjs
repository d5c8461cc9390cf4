// Writes src/config/schema-ir/schema-ir.json: the configuration, rule and policy schemas compiled
// to plain data (src/config/schema-ir/compile.ts), which start() validates with instead of zod.
// Run after changing a schema: `npm run schema-ir` (test/src/config/schema-ir.test.ts fails until then).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { compileSchemaRoots, formatSchemaIr } = require(join(root, 'dist/src/config/schema-ir/compile-roots.js'));
const out = join(root, 'src/config/schema-ir/schema-ir.json');
writeFileSync(out, formatSchemaIr(compileSchemaRoots()));
console.log(`wrote ${out}`);
