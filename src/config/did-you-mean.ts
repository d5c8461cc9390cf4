import type { z } from 'zod';

/** The parts of a zod 4 schema's definition this walk reads. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The object schema behind wrappers (default, prefault, optional, pipe, union of one object). */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  for (let s = schema, i = 0; s && i < 20; i++) {
    const def = defOf(s);
    if (def.type === 'object' || def.type === 'record' || def.type === 'array') return s;
    if (def.type === 'union') s = def.options?.find((o) => unwrap(o) && defOf(unwrap(o) as z.ZodType).type === 'object');
    else s = def.innerType ?? def.in;
  }
  return undefined;
}

/** The option names the schema allows at `path` (an object's keys), or none when it is not an object. */
export function optionsAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s = unwrap(root);
  for (const seg of path) {
    if (!s) return [];
    const def = defOf(s);
    s = unwrap(def.type === 'object' ? def.shape?.[String(seg)] : def.type === 'record' ? def.valueType : def.element);
  }
  const def = s ? defOf(s) : undefined;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest known option to a misspelt one, when it is close enough to be a typo. */
export function didYouMean(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = distance(unknown, k);
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? best : undefined;
}
