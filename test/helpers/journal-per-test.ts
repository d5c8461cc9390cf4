import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mocha root hooks (loaded by .mocharc.json): every test gets its own alert journal directory
 * through PULSEGUARD_JOURNAL_DIR (the default of `alerting.journal.dir`), so the journal stays on
 * as in production while no test restores what another test, or an earlier run, left behind.
 * Child processes get it too (cleanEnv keeps it).
 */
let current: string | undefined;

export const mochaHooks = {
  beforeEach(): void {
    current = mkdtempSync(join(tmpdir(), 'pulseguard-journal-'));
    process.env.PULSEGUARD_JOURNAL_DIR = current;
  },
  afterEach(): void {
    delete process.env.PULSEGUARD_JOURNAL_DIR;
    if (current) rmSync(current, { recursive: true, force: true });
    current = undefined;
  },
};
