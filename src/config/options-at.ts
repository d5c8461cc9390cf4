import { z } from 'zod/v3';

/** The object, record or array schema behind wrappers (default, optional, refine/transform, union of one object). */
export function unwrapSchema(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  for (let s = schema, i = 0; s && i < 20; i++) {
    if (s instanceof z.ZodObject || s instanceof z.ZodRecord || s instanceof z.ZodArray) return s;
    if (s instanceof z.ZodUnion) s = (s.options as z.ZodTypeAny[]).find((o) => unwrapSchema(o) instanceof z.ZodObject);
    else if (s instanceof z.ZodEffects) s = s.innerType();
    else if (s instanceof z.ZodDefault) s = s.removeDefault();
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else return undefined;
  }
  return undefined;
}

/** The option names the schema allows at `path` (an object's keys), or none when it is not an object. */
export function optionsAt(root: z.ZodTypeAny, path: readonly PropertyKey[]): string[] {
  let s = unwrapSchema(root);
  for (const seg of path) {
    if (s instanceof z.ZodObject) s = unwrapSchema((s.shape as z.ZodRawShape)[String(seg)]);
    else if (s instanceof z.ZodRecord) s = unwrapSchema(s.valueSchema);
    else if (s instanceof z.ZodArray) s = unwrapSchema(s.element);
    else return [];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape as z.ZodRawShape) : [];
}
