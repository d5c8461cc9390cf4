import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod/v3';
import type { IrNode, IrTag, JsonValue, NumberCheck, StringCheck } from './ir';

/**
 * Reads a zod 3 schema into plain data (./ir.ts). Runs at build time (scripts/gen-schema-ir.mjs)
 * and in the tests that check the committed data is current. It throws on anything it cannot
 * translate exactly (an untagged refinement or transform, a computed default without a name), so a
 * schema change that the interpreter would get wrong fails the build, not a user's start.
 */

/** zod 3 keeps every node's definition in `_def`; these are the fields read here. */
interface Def {
  typeName: string;
  ir?: IrTag;
  coerce?: boolean;
  checks?: Array<{ kind: string; value?: unknown; inclusive?: boolean; regex?: RegExp }>;
  shape?: () => Record<string, z.ZodTypeAny>;
  unknownKeys?: string;
  catchall?: z.ZodTypeAny;
  innerType?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  defaultValue?: () => unknown;
  values?: string[];
  value?: unknown;
  options?: z.ZodTypeAny[];
  type?: z.ZodTypeAny;
  minLength?: { value: number } | null;
  maxLength?: { value: number } | null;
  exactLength?: { value: number } | null;
  keyType?: z.ZodTypeAny;
  valueType?: z.ZodTypeAny;
}

/** The source text of the function zod 3's `.default(value)` wraps a plain value in. */
const STATIC_DEFAULT_SOURCE = '() => def';

function defOf(schema: z.ZodTypeAny): Def {
  return schema._def as Def;
}

function stringChecks(def: Def, at: string): StringCheck[] {
  return (def.checks ?? []).map((c): StringCheck => {
    switch (c.kind) {
      case 'min': case 'max': case 'length': return { k: c.kind, v: c.value as number };
      case 'regex': return { k: 'regex', source: (c.regex as RegExp).source, flags: (c.regex as RegExp).flags };
      case 'startsWith': return { k: 'startsWith', v: c.value as string };
      case 'url': return { k: 'url' };
      case 'datetime': return { k: 'unsupported' };
      default: throw new Error(`schema-ir: string check "${c.kind}" at ${at} is not compiled; add it to ./compile.ts and ./interpret.ts`);
    }
  });
}

function numberChecks(def: Def, at: string): NumberCheck[] {
  return (def.checks ?? []).map((c): NumberCheck => {
    switch (c.kind) {
      case 'int': case 'finite': return { k: c.kind };
      case 'min': case 'max': return { k: c.kind, v: c.value as number, inclusive: c.inclusive === true };
      default: throw new Error(`schema-ir: number check "${c.kind}" at ${at} is not compiled; add it to ./compile.ts and ./interpret.ts`);
    }
  });
}

function fromTag(tag: IrTag, def: Def, at: string): IrNode {
  if ('duration' in tag) return { t: 'duration', min: tag.duration[0], max: tag.duration[1] };
  if ('custom' in tag) return { t: tag.custom };
  if ('refine' in tag) return { t: 'refine', check: tag.refine, inner: compileSchema(def.schema as z.ZodTypeAny, at) };
  return { t: 'default', dynamic: tag.dynamicDefault, inner: compileSchema(def.innerType as z.ZodTypeAny, at) };
}

function staticDefault(def: Def, at: string): JsonValue {
  const make = def.defaultValue as () => unknown;
  if (make.toString() !== STATIC_DEFAULT_SOURCE) {
    throw new Error(`schema-ir: the default at ${at} is computed; give it a name with dynamicDefault() (schema/common.ts)`);
  }
  const value = make();
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) throw new Error(`schema-ir: the default at ${at} is not plain data`);
  return value as JsonValue;
}

/** The plain-data form of a zod 3 schema; `at` names the position in errors. */
export function compileSchema(schema: z.ZodTypeAny, at = '(root)'): IrNode {
  const def = defOf(schema);
  if (def.ir) return fromTag(def.ir, def, at);
  if (def.coerce) throw new Error(`schema-ir: coercion at ${at} is not compiled`);
  switch (def.typeName) {
    case 'ZodObject': {
      const catchall = defOf(def.catchall as z.ZodTypeAny).typeName;
      if (catchall !== 'ZodNever' || (def.unknownKeys !== 'strict' && def.unknownKeys !== 'strip')) {
        throw new Error(`schema-ir: only strict or stripping objects are compiled (${at})`);
      }
      const fields: Record<string, IrNode> = {};
      for (const [key, field] of Object.entries((def.shape as () => Record<string, z.ZodTypeAny>)())) {
        // An integer-like key would move to the front of a JSON object, changing the output's key order.
        if (/^\d+$/.test(key)) throw new Error(`schema-ir: field "${key}" at ${at} is an integer-like name`);
        fields[key] = compileSchema(field, at === '(root)' ? key : `${at}.${key}`);
      }
      return { t: 'object', strict: def.unknownKeys === 'strict', fields };
    }
    case 'ZodString': return { t: 'string', checks: stringChecks(def, at) };
    case 'ZodNumber': return { t: 'number', checks: numberChecks(def, at) };
    case 'ZodBoolean': return { t: 'boolean' };
    case 'ZodAny': case 'ZodUnknown': return { t: 'any' };
    case 'ZodEnum': return { t: 'enum', values: [...(def.values as string[])] };
    case 'ZodLiteral': return { t: 'literal', value: def.value as string | number | boolean | null };
    case 'ZodUnion': return { t: 'union', options: (def.options as z.ZodTypeAny[]).map((o) => compileSchema(o, at)) };
    case 'ZodArray': {
      const node: IrNode = { t: 'array', element: compileSchema(def.type as z.ZodTypeAny, `${at}[]`) };
      if (def.minLength) node.min = def.minLength.value;
      if (def.maxLength) node.max = def.maxLength.value;
      if (def.exactLength) node.length = def.exactLength.value;
      return node;
    }
    case 'ZodRecord': return { t: 'record', key: compileSchema(def.keyType as z.ZodTypeAny, `${at}{key}`), value: compileSchema(def.valueType as z.ZodTypeAny, `${at}{}`) };
    case 'ZodOptional': return { t: 'optional', inner: compileSchema(def.innerType as z.ZodTypeAny, at) };
    case 'ZodDefault': return { t: 'default', value: staticDefault(def, at), inner: compileSchema(def.innerType as z.ZodTypeAny, at) };
    case 'ZodDate': return { t: 'unsupported' };
    case 'ZodEffects': throw new Error(`schema-ir: the refinement or transform at ${at} has no tag; build it with refineWith(), durationMs() or fn() (schema/common.ts)`);
    default: throw new Error(`schema-ir: ${def.typeName} at ${at} is not compiled; add it to ./compile.ts and ./interpret.ts`);
  }
}
