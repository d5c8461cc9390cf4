import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository root (dist/test/helpers -> ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A fresh directory under the OS temp dir, removed by `cleanup()`. Outside the repo, so nothing resolves from it by accident. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'pulseguard-test-'));

  /** Writes a file (creating folders) and returns its absolute path. */
  write(relative: string, content: string): string {
    const file = join(this.path, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  /** Makes `node_modules/<name>` point at a real package, as if the app had installed it. */
  linkPackage(name: string, target: string): void {
    const link = join(this.path, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
