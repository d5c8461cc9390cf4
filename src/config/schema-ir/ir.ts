import type { DynamicDefaultName, RefinementName } from '../schema/checks';

/**
 * The configuration schema as plain data: what ./compile.ts reads off the zod schema at build
 * time and ./interpret.ts runs at start, so a valid configuration is checked and completed without
 * loading zod or building its ~900 schema objects (issue #17). Only what decides validity and the
 * output is kept; an invalid input goes to zod, which words the problems.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type StringCheck =
  | { k: 'min' | 'max' | 'length'; v: number }
  | { k: 'regex'; source: string; flags: string }
  | { k: 'startsWith'; v: string }
  | { k: 'url' }
  /** A check the interpreter does not run (e.g. datetime): a value here goes to zod. */
  | { k: 'unsupported' };

export type NumberCheck =
  | { k: 'int' }
  | { k: 'finite' }
  | { k: 'min' | 'max'; v: number; inclusive: boolean }
  | { k: 'unsupported' };

export type IrNode =
  /** `fields` keeps the schema's key order, which is the output's (no field name is an integer). */
  | { t: 'object'; fields: Record<string, IrNode>; strict: boolean }
  | { t: 'string'; checks: StringCheck[] }
  | { t: 'number'; checks: NumberCheck[] }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'enum'; values: string[] }
  | { t: 'literal'; value: string | number | boolean | null }
  | { t: 'union'; options: IrNode[] }
  | { t: 'array'; element: IrNode; min?: number; max?: number; length?: number }
  | { t: 'record'; key: IrNode; value: IrNode }
  | { t: 'optional'; inner: IrNode }
  /** `value` is a default written in the schema, `dynamic` one computed at validation time. */
  | { t: 'default'; inner: IrNode; value?: JsonValue; dynamic?: DynamicDefaultName }
  | { t: 'refine'; check: RefinementName; inner: IrNode }
  /** durationMs(min, max): an integer of ms or a string like "30s", resolved to ms in [min, max]. */
  | { t: 'duration'; min: number; max: number }
  /** z.custom function check: any function, passed through. */
  | { t: 'function' }
  /** z.instanceof(RegExp), passed through. */
  | { t: 'regexp' }
  /** A node the interpreter does not run: a value here goes to zod. */
  | { t: 'unsupported' };

/** The schemas compiled: the configuration, one rule, one rate-limit policy. */
export type SchemaRoot = 'config' | 'rule' | 'policy';
export type SchemaIr = Record<SchemaRoot, IrNode>;

/** What a tagged zod node stands for (set by the schema's helpers in ../schema/common.ts). */
export type IrTag =
  | { duration: [number, number] }
  | { refine: RefinementName }
  | { dynamicDefault: DynamicDefaultName }
  | { custom: 'function' | 'regexp' };
