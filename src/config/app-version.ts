import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `version` of the app's own package.json: the nearest one at or above `cwd` (where the app
 * was started). Undefined when there is none or it has no version. Read once per call, at
 * configuration time only.
 */
export function appPackageVersion(cwd: string = process.cwd()): string | undefined {
  for (let dir = cwd, i = 0; i < 50; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      return typeof pkg.version === 'string' && pkg.version.length > 0 ? pkg.version : undefined;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') return undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
