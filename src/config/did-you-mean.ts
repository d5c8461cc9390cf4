import { z } from 'zod/v3';

/** The object, record or array schema behind wrappers (default, optional, refine/transform, union of one object). */
function unwrap(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  for (let s = schema, i = 0; s && i < 20; i++) {
    if (s instanceof z.ZodObject || s instanceof z.ZodRecord || s instanceof z.ZodArray) return s;
    if (s instanceof z.ZodUnion) s = (s.options as z.ZodTypeAny[]).find((o) => unwrap(o) instanceof z.ZodObject);
    else if (s instanceof z.ZodEffects) s = s.innerType();
    else if (s instanceof z.ZodDefault) s = s.removeDefault();
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else return undefined;
  }
  return undefined;
}

/** The option names the schema allows at `path` (an object's keys), or none when it is not an object. */
export function optionsAt(root: z.ZodTypeAny, path: readonly PropertyKey[]): string[] {
  let s = unwrap(root);
  for (const seg of path) {
    if (s instanceof z.ZodObject) s = unwrap((s.shape as z.ZodRawShape)[String(seg)]);
    else if (s instanceof z.ZodRecord) s = unwrap(s.valueSchema);
    else if (s instanceof z.ZodArray) s = unwrap(s.element);
    else return [];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape as z.ZodRawShape) : [];
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
