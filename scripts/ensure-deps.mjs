// Installs the dependencies when node_modules is missing or does not match the lockfile, so that
// `npm run demo` and `npm test` work as the very first command on a fresh clone. Runs before
// anything is installed: Node's built-ins only.
//
// "Current" is read from npm's own record of what it installed (node_modules/.package-lock.json,
// written by every `npm ci` / `npm install`): each package the lockfile pins must be there at the
// same version. Comparing two JSON files takes milliseconds, so after `npm ci` (what CI runs first)
// the check is all that happens.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The packages map of a lockfile, or undefined when it is missing or unreadable. */
function packagesOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
  } catch {
    return undefined;
  }
}

/**
 * Why node_modules under `root` does not match `root`/package-lock.json, or undefined when it does.
 * Optional packages (another platform's binaries) may be absent.
 */
export function staleReason(root) {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  const locked = packagesOf(join(root, 'package-lock.json'));
  if (!locked) return existsSync(join(root, 'node_modules', '.package-lock.json')) ? undefined : 'no record of an install in node_modules';
  const installed = packagesOf(join(root, 'node_modules', '.package-lock.json'));
  if (!installed) return 'no record of an install in node_modules';
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '' || !path.startsWith('node_modules/')) continue;
    const have = installed[path];
    if (!have) {
      if (entry.optional) continue;
      return `${path.slice('node_modules/'.length)} is not installed`;
    }
    if (have.version !== entry.version) return `${path.slice('node_modules/'.length)} is ${have.version}, the lockfile says ${entry.version}`;
  }
  return undefined;
}

/** Installs with `npm ci` (or `npm install` without a lockfile) when node_modules is stale. Returns the exit code. */
export function ensureDependencies(root, log = (line) => process.stderr.write(`${line}\n`)) {
  const reason = staleReason(root);
  if (!reason) return 0;
  const hasLock = existsSync(join(root, 'package-lock.json'));
  // --prefer-offline: the lockfile pins every version and hash, so cached metadata is as good as fresh.
  const args = [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund', '--prefer-offline'];
  log(`[ensure-deps] ${reason}: running npm ${args[0]} (the first install takes 1 to 3 minutes)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (res.error) {
    log(`[ensure-deps] could not run npm: ${res.error.message}`);
    return 1;
  }
  return res.status ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = ensureDependencies(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
