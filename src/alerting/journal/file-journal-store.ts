import { mkdir, mkdirSync, readFileSync, rename, renameSync, writeFile, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { JournalStore } from './journal-store';

// The callback API, promisified: node:fs/promises is a module of its own that nothing else at
// start loads, and loading it cost ~17 M instructions of every start().
const mkdirAsync = promisify(mkdir);
const writeFileAsync = promisify(writeFile);
const renameAsync = promisify(rename);

/**
 * The journal as one file, replaced atomically: the text goes to `<file>.tmp` first and is then
 * renamed over the file (rename is atomic within a file system), so a crash mid-write leaves the
 * previous journal intact, never half of a new one.
 */
export class FileJournalStore implements JournalStore {
  readonly where: string;
  private readonly tmp: string;

  constructor(dir: string, name: string) {
    this.where = join(resolve(dir), `${name}.journal.json`);
    this.tmp = `${this.where}.tmp`;
  }

  async read(): Promise<string | undefined> {
    try {
      // Read once, at start, before anything runs: a synchronous read of a file of at most
      // `maxBytes` takes microseconds; the promise API's thread-pool round trips (and starting the
      // pool) added ~20 ms to start().
      return readFileSync(this.where, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async write(text: string): Promise<void> {
    await mkdirAsync(dirname(this.where), { recursive: true });
    await writeFileAsync(this.tmp, text, { mode: 0o600 });
    await renameAsync(this.tmp, this.where);
  }

  writeNow(text: string): void {
    mkdirSync(dirname(this.where), { recursive: true });
    writeFileSync(this.tmp, text, { mode: 0o600 });
    renameSync(this.tmp, this.where);
  }
}
