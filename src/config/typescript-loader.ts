import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import { ConfigLoadError } from './config-load-error';

/** The part of the `typescript` package this loader uses. */
interface TypeScriptApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string; reportDiagnostics: boolean },
  ): { outputText: string; diagnostics?: ReadonlyArray<{ messageText: string | { messageText: string } }> };
  ModuleKind: { CommonJS: number };
  ScriptTarget: { ES2022: number };
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dir: string) => void;

/**
 * Loads a `pulseguard.config.ts` with the app's own `typescript` package (transpile only, no
 * type check: `tsc` or the editor does that). The output is CommonJS evaluated with a require()
 * rooted at the config file, so `import { defineConfig } from 'pulseguard'` resolves as the app
 * would resolve it. TypeScript is not a runtime dependency of pulseguard, so when the app cannot
 * resolve it the error says what to do instead.
 */
export function loadTypeScriptConfig(file: string, source: string): unknown {
  const requireFromConfig = createRequire(file);
  let ts: TypeScriptApi;
  try {
    ts = requireFromConfig('typescript') as TypeScriptApi;
  } catch {
    throw new ConfigLoadError(
      `${file} is TypeScript, and loading it needs the "typescript" package, which the app cannot resolve. ` +
        'Install it (npm install --save-dev typescript) or write the configuration as pulseguard.config.mjs or pulseguard.config.js.',
      file,
    );
  }
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  if (out.diagnostics && out.diagnostics.length > 0) {
    const text = out.diagnostics.map((d) => (typeof d.messageText === 'string' ? d.messageText : d.messageText.messageText));
    throw new ConfigLoadError(`${file} does not parse as TypeScript: ${text.join('; ')}`, file);
  }
  const module = { exports: {} as unknown };
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${out.outputText}\n})`, { filename: file }) as CommonJsWrapper;
  wrapper.call(module.exports, module.exports, requireFromConfig, module, file, dirname(file));
  return module.exports;
}
