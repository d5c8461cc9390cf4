import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertJournal, type JournalDocument } from '../../../../src/alerting/journal/alert-journal';
import { FileJournalStore } from '../../../../src/alerting/journal/file-journal-store';
import { trimDispatcher, type DispatcherJournal } from '../../../../src/alerting/journal/dispatcher-state';
import { createLogger } from '../../../../src/logging/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../../src/internal/internal-errors';
import { LogCapture } from '../../../helpers/log-capture';
import { TempDir } from '../../../helpers/temp-dir';

function queued(name: string, at: number): DispatcherJournal['queued'][number] {
  return {
    channel: 'webhook', attempts: 3, enqueuedAt: at,
    n: { groupKey: name, groupLabels: { alertname: name }, status: 'firing', reason: 'new', level: 'high', repeat: 0,
      alerts: [{ labels: { alertname: name, severity: 'critical' }, annotations: { summary: 'x'.repeat(400) }, status: 'firing', startsAt: at }] },
  };
}

describe('AlertJournal', () => {
  let dir: TempDir;
  let logs: LogCapture;
  beforeEach(() => {
    dir = new TempDir();
    logs = new LogCapture();
  });
  afterEach(() => dir.cleanup());

  const journal = (maxBytes = 1_048_576, now = () => 1000): AlertJournal =>
    new AlertJournal({ store: new FileJournalStore(dir.path, 'svc'), maxBytes, writeIntervalMs: 10, logger: createLogger({ destination: logs }), now });

  it('writes every section as one document, replaced atomically (a half-written temp file never counts)', async () => {
    const j = journal();
    j.register('a', { snapshot: () => ({ n: 1 }) }, 1);
    await j.stop();
    const file = join(dir.path, 'svc.journal.json');
    assert.equal(existsSync(`${file}.tmp`), false, 'the temp file was renamed over the journal');
    // A crash between writing the temp file and the rename leaves the previous journal readable.
    writeFileSync(`${file}.tmp`, '{"version":1,"savedAt":');
    const next = journal();
    await next.load();
    assert.equal(next.savedAt, 1000);
    assert.deepEqual(next.restoredSection('a'), { n: 1 });
  });

  it('stays under maxBytes by dropping the oldest undelivered notifications, each logged once with its alert name', async () => {
    const state: DispatcherJournal = { groups: [], silences: [], alertmanager: [], alertmanagerPosted: [], queued: Array.from({ length: 60 }, (_, i) => queued(`Alert${i}`, i)) };
    const j = journal(16_384);
    j.register('dispatcher', { snapshot: () => state, trim: trimDispatcher }, 2);
    await j.stop();
    const text = readFileSync(join(dir.path, 'svc.journal.json'), 'utf8');
    assert.ok(Buffer.byteLength(text) <= 16_384, `${Buffer.byteLength(text)} bytes`);
    const kept = ((JSON.parse(text) as JournalDocument).sections.dispatcher as DispatcherJournal).queued.map((q) => q.n.alerts[0].labels.alertname);
    assert.ok(kept.length > 0 && kept.length < 60);
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => `Alert${60 - kept.length + i}`), 'the newest are kept');
    const drops = logs.json().filter((l) => l.msg === `alert journal full: not kept for a restart: ${String(l.dropped)}`);
    assert.equal(drops.length, 60 - kept.length);
    assert.deepEqual(drops.map((l) => l.dropped), Array.from({ length: 60 - kept.length }, (_, i) => `webhook notification (firing, new) of Alert${i}`));
    // The same drops at the next write are not logged again.
    await j.stop();
    assert.equal(logs.json().filter((l) => typeof l.dropped === 'string').length, drops.length);
  });

  it('starts without a journal it cannot read, counting and logging the fault', async () => {
    writeFileSync(join(dir.path, 'svc.journal.json'), 'not json');
    const before = internalErrorCount('alerting.journal');
    const internal = new LogCapture();
    setInternalErrorLogger(createLogger({ destination: internal }));
    try {
      const j = journal();
      await j.load();
      assert.equal(j.savedAt, undefined);
    } finally {
      setInternalErrorLogger(undefined);
    }
    assert.equal(internalErrorCount('alerting.journal'), before + 1);
    assert.match(internal.text, /alert journal .*svc\.journal\.json unreadable, starting without it/);
  });

  it('contains a journal it cannot write (read-only directory): counted, and alerting goes on', async () => {
    const store = new FileJournalStore(dir.path, 'svc');
    store.write = async () => { throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }); };
    const before = internalErrorCount('alerting.journal');
    const j = new AlertJournal({ store, maxBytes: 1_048_576, writeIntervalMs: 10, logger: createLogger({ destination: logs }), now: () => 1 });
    j.register('a', { snapshot: () => ({ n: 1 }) }, 1);
    setInternalErrorLogger(createLogger({ destination: new LogCapture() }));
    try {
      await j.stop();
    } finally {
      setInternalErrorLogger(undefined);
    }
    assert.equal(internalErrorCount('alerting.journal'), before + 1);
  });

  it('rewrites only on a change, and still every 30 s (the next start measures the outage from it)', async () => {
    let t = 0;
    let value = 1;
    const store = new FileJournalStore(dir.path, 'svc');
    let writes = 0;
    const write = store.write.bind(store);
    store.write = async (text) => { writes++; await write(text); };
    const j = new AlertJournal({ store, maxBytes: 1_048_576, writeIntervalMs: 10, logger: createLogger({ destination: logs }), now: () => t });
    j.register('a', { snapshot: () => ({ value }) }, 1);
    j.start();
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(writes, 1);
    value = 2;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(writes, 2);
    t = 31_000;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(writes, 3);
    await j.stop();
  });
});
