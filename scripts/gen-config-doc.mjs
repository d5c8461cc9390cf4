#!/usr/bin/env node
// Generates docs/configuration.md from the configuration schema, so the reference cannot drift
// from the code:
//   - structure, types, constraints and defaults come from the zod schema at run time
//     (dist/src/config/schema.js through ./zod3-to-json-schema.mjs, and resolveConfig for effective
//     defaults);
//   - each option's description and any dynamic @default text come from its JSDoc, read with the
//     TypeScript compiler from the PulseguardConfigInput type (src/config/types.ts);
//   - the environment variables come from ENV_VARS (src/config/env-config.ts).
// Usage (after `npm run build`):  node scripts/gen-config-doc.mjs          writes the doc
//                                 node scripts/gen-config-doc.mjs --check  exits 1 when stale
// test/scripts/gen-config-doc.test.ts runs the same check in `npm test`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from './zod3-to-json-schema.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = join(ROOT, 'docs', 'configuration.md');
export const REGENERATE = 'npm run docs:config   (= npm run build && node scripts/gen-config-doc.mjs)';

const requireFromRoot = createRequire(join(ROOT, 'package.json'));

// ---- JSDoc from the TypeScript type ---------------------------------------------------------

/** path -> { description, defaultTag } for every option, from the JSDoc on the schema's fields. */
function collectJsDoc(root) {
  const ts = requireFromRoot('typescript');
  const typesFile = join(root, 'src', 'config', 'types.ts');
  const program = ts.createProgram([typesFile], {
    strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(typesFile));
  const inputSymbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'PulseguardConfigInput');
  const docs = new Map();

  const isPlainObject = (t) => (t.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(t) && t.getCallSignatures().length === 0;
  const objectParts = (t) => (t.isUnion() ? t.types : [t]).filter(isPlainObject);

  function visit(type, path, depth) {
    if (depth > 8) return;
    for (const part of objectParts(checker.getNonNullableType(type))) {
      const index = part.getStringIndexType();
      if (index && part.getProperties().length === 0) {
        visit(index, `${path}.<name>`, depth + 1);
        continue;
      }
      for (const prop of part.getProperties()) {
        const propPath = path ? `${path}.${prop.name}` : prop.name;
        const description = ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
        let extra = '';
        let defaultTag;
        for (const tag of prop.getJsDocTags(checker)) {
          const text = ts.displayPartsToString(tag.text ?? []).trim();
          if (tag.name === 'default') defaultTag = text;
          // "@opentelemetry/instrumentation-http" in prose parses as a tag; put it back.
          else extra += text.startsWith('/') ? ` @${tag.name}${text}` : ` @${tag.name} ${text}`;
        }
        if (!docs.has(propPath)) docs.set(propPath, { description: `${description}${extra}`.trim(), defaultTag });
        const propType = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
        const element = checker.isArrayType(propType) ? checker.getTypeArguments(propType)[0] : undefined;
        if (element) visit(element, `${propPath}[]`, depth + 1);
        else visit(propType, propPath, depth + 1);
      }
    }
  }
  visit(checker.getDeclaredTypeOfSymbol(inputSymbol), '', 0);
  return docs;
}

// ---- rendering -------------------------------------------------------------------------------

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function typeOf(node) {
  if (!node || Object.keys(node).length === 0) return 'any';
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if ('const' in node) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(', ');
  const parts = [];
  switch (node.type) {
    case 'string':
      if (node.format === 'uri') parts.push('URL');
      else if (node.format === 'date-time') parts.push('ISO 8601 date-time');
      else parts.push('string');
      if (node.minLength && node.minLength === node.maxLength) parts.push(`length ${node.minLength}`);
      else if (node.minLength) parts.push(`min length ${node.minLength}`);
      if (node.pattern && !node.format && node.pattern.length <= 40) parts.push(`matching \`${node.pattern}\``);
      if (node.startsWith) parts.push(`starting with ${JSON.stringify(node.startsWith)}`);
      break;
    case 'integer':
    case 'number': {
      parts.push(node.type);
      const lo = node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : node.minimum !== undefined && node.minimum > -MAX_SAFE ? `>= ${node.minimum}` : undefined;
      const hi = node.maximum !== undefined && node.maximum < MAX_SAFE ? `<= ${node.maximum}` : undefined;
      if (lo) parts.push(lo);
      if (hi) parts.push(hi);
      break;
    }
    case 'boolean':
      parts.push('boolean');
      break;
    case 'array':
      parts.push(`array of ${node.items?.type === 'object' && node.items.properties ? 'objects' : typeOf(node.items)}`);
      if (node.minItems) parts.push(`at least ${node.minItems}`);
      break;
    case 'object':
      parts.push(node.properties ? 'object' : `map of ${node.additionalProperties?.anyOf?.some((v) => v.properties) ? 'objects (or false)' : typeOf(node.additionalProperties)}`);
      break;
    default:
      parts.push(String(node.type));
  }
  return parts.join(', ');
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text) => `\`${text}\``;

function getPath(obj, path) {
  let node = obj;
  for (const key of path.split('.')) {
    if (node === undefined || node === null) return undefined;
    node = node[key];
  }
  return node;
}

/** A JSDoc @default that is not a literal (reads the environment, names a placeholder). */
const isDynamicDefault = (tag) => tag !== undefined && /process\.env|<[^>]+>|\bor\b/.test(tag);

function defaultOf({ path, node, required, resolved, doc, insideCollection }) {
  if (isDynamicDefault(doc?.defaultTag)) return code(doc.defaultTag);
  // The effective default: what resolveConfig() fills in; inside arrays, maps and optional
  // objects (absent from the resolved config), the schema's own default.
  const value = insideCollection ? undefined : getPath(resolved, path);
  if (value !== undefined) return code(JSON.stringify(value));
  if (node && 'default' in node) return code(JSON.stringify(node.default));
  return required ? '**required**' : 'unset';
}

/** Rows for every leaf option under `node` (objects recurse; arrays/maps of objects too). */
function collectRows(ctx, node, path, required, parentDoc, insideCollection, rows) {
  const doc = ctx.docs.get(path);
  const objectVariant = (n) => (n?.anyOf ? n.anyOf.find((v) => v.properties) : n);
  if (node?.type === 'object' && node.properties) {
    const req = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties)) {
      collectRows(ctx, child, path ? `${path}.${key}` : key, req.has(key), doc?.description || parentDoc, insideCollection, rows);
    }
    return;
  }
  rows.push({
    path,
    type: typeOf(node),
    default: defaultOf({ path, node, required, resolved: ctx.resolved, doc, insideCollection }),
    description: doc?.description || parentDoc || '',
  });
  const items = node?.type === 'array' ? node.items : undefined;
  if (items?.type === 'object' && items.properties) {
    collectRows(ctx, items, `${path}[]`, true, '', true, rows);
  }
  const values = node?.type === 'object' && !node.properties ? objectVariant(node.additionalProperties) : undefined;
  if (values?.properties) {
    collectRows(ctx, values, `${path}.<name>`, true, '', true, rows);
  }
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The whole of docs/configuration.md, as text. Needs `npm run build` first (reads dist/). */
export function renderConfigDoc(root = ROOT) {
  const requireDist = createRequire(join(root, 'dist', 'src', 'config', 'schema.js'));
  const { configSchema } = requireDist('./schema.js');
  const { resolveConfig } = requireDist('./validate.js');
  const { ENV_VARS } = requireDist('./env-config.js');
  const { DEFAULT_POLICIES } = requireDist('./schema/default-policies.js');

  const schema = toJsonSchema(configSchema());
  const ctx = { docs: collectJsDoc(root), resolved: resolveConfig({ service: { name: 'example' } }) };
  ctx.resolved.service.name = undefined; // the one required option: shown as required, not as "example"

  const out = [
    '# Configuration',
    '',
    '<!-- Generated by scripts/gen-config-doc.mjs from the zod schema (src/config/schema/*.ts) and its JSDoc.',
    `     Do not edit by hand; regenerate with: ${REGENERATE} -->`,
    '',
    'pulseguard is configured by one object, written as typed code with `defineConfig()` or as JSON.',
    'It is validated when pulseguard starts: unknown options are errors (typos surface at once), and an',
    'invalid configuration is rejected with every problem listed by path, e.g.',
    '`thresholds.websocket.messageLatency.warning: expected number, got "100ms"`.',
    '`pulseguard check [file]` runs the same validation and prints what the configuration resolves to.',
    '',
    '## Where the configuration comes from',
    '',
    '`node --import pulseguard/register app.js` and `pulseguard check` look, in this order, for:',
    '',
    '1. the file given to `pulseguard check <file>`;',
    '2. the file named by `PULSEGUARD_CONFIG` (relative to the working directory; it must exist);',
    '3. `pulseguard.config.ts`, `.mjs`, `.js` or `.json` in the working directory (exactly one of them:',
    '   two is an error rather than a silent precedence rule);',
    '4. otherwise, environment variables (below).',
    '',
    'A `.js`/`.mjs` file exports the configuration as its default export (ES modules) or as',
    '`module.exports` (CommonJS); a default-exported function, sync or async, is called. A `.ts` file',
    'is loaded with jiti, which pulseguard depends on: transpile only, no type check, and whatever',
    'TypeScript version the app has installed, or none, does not matter. With `--import pulseguard/register`, an invalid or',
    'unreadable configuration prints every problem to stderr and exits with code 1 before the app runs.',
    '',
    '## Environment variables',
    '',
    'Variables marked "no file" are read only when there is no configuration file; the others always.',
    'Empty values count as unset.',
    '',
    table(['Variable', 'Sets', 'Read', 'Meaning'], ENV_VARS.map((v) => [code(v.name), v.path ? code(v.path) : '', v.when === 'always' ? 'always' : 'no file', v.description])),
    '',
    '## Options',
    '',
    'Every option, with its type, default and meaning. `a[].b` is field `b` of each element of array `a`;',
    '`a.<name>.b` is field `b` of each entry of map `a`. Every duration (the options ending in `Ms`, and',
    'the rules\' windows) takes a number of milliseconds or a duration string (`"30s"`, `"5m"`, `"1h"`).',
  ];

  for (const [section, node] of Object.entries(schema.properties)) {
    const rows = [];
    collectRows(ctx, node, section, schema.required.includes(section), '', false, rows);
    out.push('', `### ${section}`, '', table(['Option', 'Type', 'Default', 'Description'], rows.map((r) => [code(r.path), r.type, r.default, r.description])));
    if (section === 'rateLimits') {
      out.push('', 'Built-in policies (`rateLimits.policies` is merged over these; set one to `false` to remove it):', '');
      out.push(table(['Policy', 'Points', 'Per (ms)', 'Max size (bytes)', 'Mode'], Object.entries(DEFAULT_POLICIES).map(([name, p]) => [code(name), p.points, p.durationMs, p.maxSizeBytes ?? '', p.mode ?? 'reject'])));
    }
  }
  return `${out.join('\n')}\n`;
}

/** Compares the committed doc with a fresh rendering; `ok: false` carries the fix. */
export function checkConfigDoc(committed, fresh) {
  if (committed === fresh) return { ok: true, message: '' };
  const a = committed.split('\n');
  const b = fresh.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line++;
  return {
    ok: false,
    message: `docs/configuration.md is out of date with the configuration schema (first difference at line ${line + 1}:\n` +
      `  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}).\nRegenerate it with: ${REGENERATE}`,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fresh = renderConfigDoc();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(DOC_PATH, 'utf8');
    } catch {
      // missing: reported as out of date below
    }
    const result = checkConfigDoc(committed, fresh);
    if (!result.ok) {
      process.stderr.write(`${result.message}\n`);
      process.exit(1);
    }
    process.stdout.write('docs/configuration.md is up to date\n');
  } else {
    writeFileSync(DOC_PATH, fresh);
    process.stdout.write(`wrote ${DOC_PATH}\n`);
  }
}
