/**
 * What a patched module exports, whichever loader delivered it: require() gives module.exports,
 * the ESM loader hook (import-in-the-middle) a namespace whose `default` is module.exports.
 */

/** A module's exports, with an ESM namespace's `.default` unwrapped. */
export function unwrapEsmDefault<T>(exports: unknown): T {
  const ns = exports as { default?: unknown; [Symbol.toStringTag]?: string } | null;
  return (ns !== null && typeof ns === 'object' && ns[Symbol.toStringTag] === 'Module' && ns.default !== undefined ? ns.default : exports) as T;
}

/**
 * The class a module file exports (module.exports itself, or an ESM namespace's `default`), or
 * undefined when it exports none.
 */
export function exportedClass<P>(exports: unknown): { prototype: P } | undefined {
  const hasProto = (v: unknown): v is { prototype: P } => typeof v === 'function' && (v as { prototype?: unknown }).prototype !== undefined;
  if (hasProto(exports)) return exports;
  const def = (exports as { default?: unknown } | undefined)?.default;
  if (hasProto(def)) return def;
  return undefined;
}
