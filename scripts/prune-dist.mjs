// Removes compiled outputs in dist/ whose TypeScript source is gone (a file moved or deleted).
// tsc never deletes what it emitted earlier, and mocha's spec glob (dist/test/**/*.test.js) would
// otherwise run a deleted test against code that no longer matches it. Keeps the build
// incremental: only orphans go, so `npm run build` stays as fast as tsc alone. Node built-ins only.
import { existsSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What tsc emits for a source, longest suffix first: [output suffix, source suffix]. */
const OUTPUTS = [
  ['.d.mts.map', '.mts'], ['.d.ts.map', '.ts'], ['.mjs.map', '.mts'], ['.js.map', '.ts'],
  ['.d.mts', '.mts'], ['.d.ts', '.ts'], ['.mjs', '.mts'], ['.js', '.ts'],
];

/** The source file an output in `dist` was compiled from, or undefined for a file tsc does not emit. */
function sourceOf(root, distFile) {
  const rel = relative(join(root, 'dist'), distFile);
  for (const [out, src] of OUTPUTS) {
    if (rel.endsWith(out)) return join(root, rel.slice(0, -out.length) + src);
  }
  return undefined;
}

/** Deletes the orphaned outputs under `root`/dist and the folders left empty. Returns the deleted paths, relative to root. */
export function pruneDist(root) {
  const removed = [];
  const bundleDir = join(root, 'dist', 'bundle');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // dist/bundle is scripts/bundle.mjs's output, rebuilt whole on every build.
        if (path === bundleDir) continue;
        walk(path);
        if (readdirSync(path).length === 0) rmdirSync(path);
        continue;
      }
      const source = sourceOf(root, path);
      if (source !== undefined && !existsSync(source)) {
        unlinkSync(path);
        removed.push(relative(root, path));
      }
    }
  };
  if (existsSync(join(root, 'dist'))) walk(join(root, 'dist'));
  return removed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const removed = pruneDist(join(dirname(fileURLToPath(import.meta.url)), '..'));
  if (removed.length > 0) process.stderr.write(`[prune-dist] removed ${removed.length} outputs of deleted sources\n`);
}
