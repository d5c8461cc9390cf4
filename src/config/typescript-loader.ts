import { ConfigLoadError } from './config-load-error';

/**
 * Loads a `pulseguard.config.ts` (or .mts/.cts) with jiti, a maintained TypeScript loader that
 * carries its own transpiler: the app's `typescript` package is never used, so any TypeScript
 * version, or none, works (TypeScript 7 has no JS API for a loader to call). Transpile only, no
 * type check: `tsc` or the editor does that. Imports in the file resolve from the file, as the app
 * would resolve them, and packages in node_modules load natively.
 *
 * jiti is imported here, on first use, so apps whose configuration is not TypeScript never load it.
 */
export async function loadTypeScriptConfig(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(file, {
    // No disk cache: jiti writes it into node_modules/.cache without catching errors, so a
    // read-only image would fail to start. The price is loading its transpiler at each start.
    fsCache: false,
    // Not kept in require.cache: a second load (`pulseguard check` after an edit) sees the file
    // as it is now.
    moduleCache: false,
    // What the file exports as written ({ __esModule, default } for ESM syntax, module.exports for
    // CommonJS); load-config unwraps `default` as it did with the previous loader.
    interopDefault: false,
  });
  try {
    return await jiti.import(file);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    throw new ConfigLoadError(`${file} failed to load: ${message}`, file, { cause: err });
  }
}
