// Marks the bundle's module functions for eager compilation, keeping the source map true.
//
// esbuild wraps each module in a method, `__commonJS({"key"(exports, module) {...}})`. V8
// pre-parses a method when the file loads and parses it again in full when the module first
// runs. A function expression in parentheses is compiled with the file instead (V8's "PIFE"
// heuristic), so `"key":(function(exports, module) {...})` is parsed once: ~25 M instructions
// less to start() with the default config (docs/performance.md). A module in a file that is read
// but never required is then compiled in vain; files are cut by load group, so that is little
// (26 KB of the 480 KB the footprint app reads).
import { parse } from 'acorn';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** One segment of a source map's `mappings` (each field as the VLQ list holds it, relative). */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: bad mapping character ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeValue(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

/**
 * Moves the generated columns of `mappings` past inserted text. `inserts` maps a line (from 0)
 * to [column, length] pairs: a segment at or after a column moves right by the length. Only the first field of a segment (its generated column, relative within the line)
 * changes; the others are copied.
 */
export function shiftMappings(mappings, inserts) {
  return mappings.split(';').map((line, lineNo) => {
    const here = inserts.get(lineNo);
    if (!here || line === '') return line;
    let previous = 0;
    let previousShifted = 0;
    return line.split(',').map((segment) => {
      const [delta, ...rest] = decodeSegment(segment);
      const column = previous + delta;
      let shifted = column;
      for (const [at, length] of here) if (column >= at) shifted += length;
      const out = encodeValue(shifted - previousShifted) + rest.map(encodeValue).join('');
      previous = column;
      previousShifted = shifted;
      return out;
    }).join(',');
  }).join(';');
}

/** The bundle's module wrappers (`var x = __commonJS({"key"(...) {...}})`, at the top level). */
function moduleMethods(program) {
  const out = [];
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { init } of statement.declarations) {
      if (init?.type !== 'CallExpression' || init.callee.type !== 'Identifier' || init.callee.name !== '__commonJS') continue;
      const property = init.arguments[0]?.type === 'ObjectExpression' ? init.arguments[0].properties[0] : undefined;
      if (property?.type === 'Property' && property.method) out.push(property);
    }
  }
  return out;
}

/**
 * Rewrites each module method of `code` as a parenthesized function expression; returns the new
 * code and `map` (a parsed source map object) with its mappings moved to match.
 */
export function markModulesEager(code, map) {
  const methods = moduleMethods(parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true }));
  // [offset, position, text]: after the key, and after the function's closing brace; in source
  // order, as the methods are.
  const edits = methods.flatMap((p) => [[p.key.end, p.key.loc.end, ':(function'], [p.value.end, p.value.loc.end, ')']]);
  const inserts = new Map();
  for (const [, { line, column }, text] of edits) inserts.set(line - 1, [...(inserts.get(line - 1) ?? []), [column, text.length]]);
  let out = '';
  let at = 0;
  for (const [offset, , text] of edits) {
    out += code.slice(at, offset) + text;
    at = offset;
  }
  out += code.slice(at);
  return { code: out, map: { ...map, mappings: shiftMappings(map.mappings, inserts) } };
}
