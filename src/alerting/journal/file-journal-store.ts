import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { JournalStore } from './journal-store';

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
    await mkdir(dirname(this.where), { recursive: true });
    await writeFile(this.tmp, text, { mode: 0o600 });
    await rename(this.tmp, this.where);
  }

  writeNow(text: string): void {
    mkdirSync(dirname(this.where), { recursive: true });
    writeFileSync(this.tmp, text, { mode: 0o600 });
    renameSync(this.tmp, this.where);
  }
}
