import { DURATION_RE, DYNAMIC_DEFAULTS, parseDuration, REFINEMENTS } from '../schema/checks';
import type { IrNode, StringCheck } from './ir';

/**
 * Runs the plain-data schema (./ir.ts) over an input: the output zod 3 would return when the input
 * is valid, INVALID otherwise. It never words a problem: on INVALID the caller asks zod, which
 * does. So the two can only differ on valid input, which test/src/config/schema-ir.test.ts compares
 * over a corpus of valid and broken configurations.
 */
export const INVALID: unique symbol = Symbol('invalid');

type Obj = Record<string, unknown>;

/** What zod 3 parses as an object: not an array, a promise, a Map, a Set or a Date (a RegExp is one). */
function isObject(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof Date) return false;
  const { then, catch: onCatch } = v as { then?: unknown; catch?: unknown };
  return !(typeof then === 'function' && typeof onCatch === 'function');
}

const regexes = new WeakMap<StringCheck, RegExp>();
function regexOf(check: Extract<StringCheck, { k: 'regex' }>): RegExp {
  let re = regexes.get(check);
  if (!re) regexes.set(check, (re = new RegExp(check.source, check.flags)));
  return re;
}

function isUrl(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function stringPasses(v: string, checks: StringCheck[]): boolean {
  for (const c of checks) {
    switch (c.k) {
      case 'min': if (v.length < c.v) return false; break;
      case 'max': if (v.length > c.v) return false; break;
      case 'length': if (v.length !== c.v) return false; break;
      case 'regex': { const re = regexOf(c); re.lastIndex = 0; if (!re.test(v)) return false; break; }
      case 'startsWith': if (!v.startsWith(c.v)) return false; break;
      case 'url': if (!isUrl(v)) return false; break;
      default: return false;
    }
  }
  return true;
}

function numberPasses(v: number, checks: Extract<IrNode, { t: 'number' }>['checks']): boolean {
  for (const c of checks) {
    switch (c.k) {
      case 'int': if (!Number.isInteger(v)) return false; break;
      case 'finite': if (!Number.isFinite(v)) return false; break;
      case 'min': if (c.inclusive ? v < c.v : v <= c.v) return false; break;
      case 'max': if (c.inclusive ? v > c.v : v >= c.v) return false; break;
      default: return false;
    }
  }
  return true;
}

function parseObject(n: Extract<IrNode, { t: 'object' }>, v: unknown): unknown {
  if (!isObject(v)) return INVALID;
  const out: Obj = {};
  for (const key in n.fields) {
    const r = interpret(n.fields[key], v[key]);
    if (r === INVALID) return INVALID;
    // zod 3 keeps a key written as undefined and leaves out one not written.
    if (r !== undefined || key in v) out[key] = r;
  }
  if (n.strict) {
    for (const key in v) if (!Object.hasOwn(n.fields, key)) return INVALID;
  }
  return out;
}

function parseRecord(n: Extract<IrNode, { t: 'record' }>, v: unknown): unknown {
  if (!isObject(v)) return INVALID;
  const out: Obj = {};
  for (const key in v) {
    if (key === '__proto__') return INVALID;
    const k = interpret(n.key, key);
    const value = interpret(n.value, v[key]);
    if (k === INVALID || value === INVALID) return INVALID;
    out[k as string] = value;
  }
  return out;
}

function parseArray(n: Extract<IrNode, { t: 'array' }>, v: unknown): unknown {
  if (!Array.isArray(v)) return INVALID;
  if ((n.length !== undefined && v.length !== n.length) || (n.min !== undefined && v.length < n.min) || (n.max !== undefined && v.length > n.max)) return INVALID;
  const out: unknown[] = [];
  for (const item of v as unknown[]) {
    const r = interpret(n.element, item);
    if (r === INVALID) return INVALID;
    out.push(r);
  }
  return out;
}

function parseDurationNode(n: Extract<IrNode, { t: 'duration' }>, v: unknown): unknown {
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string' && DURATION_RE.test(v)) ms = parseDuration(v);
  else return INVALID;
  return Number.isInteger(ms) && ms >= n.min && ms <= n.max ? ms : INVALID;
}

/** The parsed value of `v` under node `n`, or INVALID. */
export function interpret(n: IrNode, v: unknown): unknown {
  switch (n.t) {
    case 'object': return parseObject(n, v);
    case 'record': return parseRecord(n, v);
    case 'array': return parseArray(n, v);
    case 'string': return typeof v === 'string' && stringPasses(v, n.checks) ? v : INVALID;
    case 'number': return typeof v === 'number' && !Number.isNaN(v) && numberPasses(v, n.checks) ? v : INVALID;
    case 'boolean': return typeof v === 'boolean' ? v : INVALID;
    case 'any': return v;
    case 'enum': return typeof v === 'string' && n.values.includes(v) ? v : INVALID;
    case 'literal': return v === n.value ? v : INVALID;
    case 'union': {
      for (const option of n.options) {
        const r = interpret(option, v);
        if (r !== INVALID) return r;
      }
      return INVALID;
    }
    case 'optional': return v === undefined ? undefined : interpret(n.inner, v);
    case 'default': {
      if (v !== undefined) return interpret(n.inner, v);
      return interpret(n.inner, n.dynamic !== undefined ? DYNAMIC_DEFAULTS[n.dynamic]() : n.value);
    }
    case 'refine': {
      const r = interpret(n.inner, v);
      return r !== INVALID && (REFINEMENTS[n.check] as (value: unknown) => boolean)(r) ? r : INVALID;
    }
    case 'duration': return parseDurationNode(n, v);
    case 'function': return typeof v === 'function' ? v : INVALID;
    case 'regexp': return v instanceof RegExp ? v : INVALID;
    default: return INVALID;
  }
}

/** The node of the object field at `path` below `n` (through defaults, optionals and refinements). */
export function nodeAt(n: IrNode, path: readonly string[]): IrNode {
  let node = n;
  for (const seg of path) {
    while (node.t === 'default' || node.t === 'optional' || node.t === 'refine') node = node.inner;
    const field = node.t === 'object' && Object.hasOwn(node.fields, seg) ? node.fields[seg] : undefined;
    if (!field) throw new Error(`schema-ir: no option "${seg}" in ${path.join('.')}`);
    node = field;
  }
  return node;
}
