import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mocha root hooks (loaded by .mocharc.json): the alert journal stays on, as in production, but
 * never in the working directory. Every test gets its own directory through PULSEGUARD_JOURNAL_DIR
 * (the default of `alerting.journal.dir`), and `before` hooks one for the whole run, so no test
 * restores what another test, or an earlier run, left behind. Child processes get it too
 * (cleanEnv keeps it).
 */
const runDir = mkdtempSync(join(tmpdir(), 'pulseguard-journal-run-'));
process.env.PULSEGUARD_JOURNAL_DIR = runDir;
process.on('exit', () => rmSync(runDir, { recursive: true, force: true }));
let current: string | undefined;

export const mochaHooks = {
  beforeEach(): void {
    current = mkdtempSync(join(tmpdir(), 'pulseguard-journal-'));
    process.env.PULSEGUARD_JOURNAL_DIR = current;
  },
  afterEach(): void {
    process.env.PULSEGUARD_JOURNAL_DIR = runDir;
    if (current) rmSync(current, { recursive: true, force: true });
    current = undefined;
  },
};
