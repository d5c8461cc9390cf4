import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { loadDispatcher, storeDispatcher, type DispatcherJournal } from '../../../../src/alerting/journal/dispatcher-state';
import { fakeClock, recordingDispatcher, RecordingNotifier } from '../../../helpers/alert-recorder';
import { firing, resolved } from '../../../helpers/alerts';

/** What the journal would write and read back (through JSON, as on disk). */
function roundTrip(state: ReturnType<typeof storeDispatcher>): DispatcherJournal {
  return JSON.parse(JSON.stringify(state)) as DispatcherJournal;
}

describe('AlertDispatcher state in the alert journal', () => {
  let fake: sinon.SinonFakeTimers;
  // Near the real time: shutdown runs on real time, and a notification's age must not jump.
  beforeEach(() => { fake = fakeClock(Date.now()); });
  afterEach(() => fake.restore());

  /** shutdown() drains on real time (its deadline bounds a real wait): run it off the fake clock. */
  async function shutdownOnRealTime(d: { shutdown(ms: number): Promise<void> }): Promise<void> {
    const now = fake.now;
    fake.restore();
    try {
      await d.shutdown(100);
    } finally {
      fake = fakeClock(now);
    }
  }

  it('keeps what shutdown could not deliver (not counted as dropped); the next run delivers it once, then the resolve', async () => {
    const first = recordingDispatcher(['slack'], {}, { keepUndelivered: true });
    (first.rec.slack as RecordingNotifier).down = true;
    first.d.receive(firing('ApiDown', 'critical'));
    await fake.tickAsync(31_000);
    await shutdownOnRealTime(first.d);
    assert.deepEqual(first.logs.json().filter((l) => l.outcome === 'dropped'), []);
    assert.deepEqual(first.logs.json().filter((l) => /the alert journal sends them at the next start/.test(String(l.msg))).map((l) => l.undelivered),
      [[{ channel: 'slack', alertname: 'ApiDown' }]], 'said, with the alert names');
    const saved = roundTrip(storeDispatcher(first.d.journalState()));
    assert.equal(saved.queued.length, 1);
    assert.equal(saved.groups.length, 1);

    const second = recordingDispatcher(['slack'], {}, { keepUndelivered: true });
    const slack = second.rec.slack as RecordingNotifier;
    second.d.restore(loadDispatcher(saved), () => true);
    await fake.tickAsync(1000);
    assert.deepEqual(slack.summary(), ['new:ApiDown/firing']);
    assert.equal(slack.got[0].alerts[0].startsAt.getTime(), 0, 'the alert keeps its start time');
    // The group came back announced: the same alert still firing is not announced a second time.
    second.d.receive(firing('ApiDown', 'critical'));
    await fake.tickAsync(61_000);
    assert.deepEqual(slack.summary(), ['new:ApiDown/firing']);
    second.d.receive(resolved(firing('ApiDown', 'critical'), new Date(fake.now)));
    await fake.tickAsync(61_000);
    assert.deepEqual(slack.summary(), ['new:ApiDown/firing', 'resolved:ApiDown/resolved']);
  });

  it('without a journal, shutdown still counts what is left as dropped', async () => {
    const { d, rec, logs } = recordingDispatcher(['slack']);
    (rec.slack as RecordingNotifier).down = true;
    d.receive(firing('ApiDown', 'critical'));
    await fake.tickAsync(31_000);
    await shutdownOnRealTime(d);
    assert.equal(logs.json().filter((l) => l.outcome === 'dropped').length, 1);
    assert.equal(d.journalState().queued.length, 0);
  });

  it('restores silences added at run time with their ids, not the configured ones a second time', () => {
    const cfg = { silences: [{ matchers: [{ name: 'alertname', value: 'Configured' }], endsAt: '2027-01-01T00:00:00Z' }] };
    const first = recordingDispatcher(['slack'], cfg, { keepUndelivered: true });
    const id = first.d.silence([{ name: 'alertname', value: 'DiskFull' }], new Date(fake.now + 3_600_000), 'disk swap');
    first.d.silence([{ name: 'alertname', value: 'Expired' }], new Date(fake.now + 1000));
    const saved = roundTrip(storeDispatcher(first.d.journalState()));
    assert.deepEqual(saved.silences.map((s) => s.matchers[0].value), ['DiskFull', 'Expired']);

    fake.tick(2000);
    const second = recordingDispatcher(['slack'], cfg, { keepUndelivered: true });
    second.d.restore(loadDispatcher(saved), () => true);
    const active = second.d.silences.active(fake.now);
    assert.deepEqual(active.map((s) => s.matchers[0].value), ['Configured', 'DiskFull']);
    assert.equal(active[1].comment, 'disk swap');
    assert.equal(second.d.unsilence(id), true, 'the id handed out before the restart still works');
  });

  it('owes Alertmanager the resolve of an alert it was told fired before the restart', async () => {
    const first = recordingDispatcher(['alertmanager'], {}, { keepUndelivered: true });
    first.d.receive(firing('ApiDown', 'critical'));
    await fake.tickAsync(1000);
    assert.deepEqual((first.rec.alertmanager as RecordingNotifier).summary(), ['new:ApiDown/firing']);
    await shutdownOnRealTime(first.d);
    const saved = roundTrip(storeDispatcher(first.d.journalState()));

    const second = recordingDispatcher(['alertmanager'], {}, { keepUndelivered: true });
    const am = second.rec.alertmanager as RecordingNotifier;
    second.d.restore(loadDispatcher(saved), () => true);
    await fake.tickAsync(61_000);
    assert.deepEqual(am.summary(), ['repeat:ApiDown/firing'], 're-sent while firing, as before the restart');
    second.d.receive(resolved(firing('ApiDown', 'critical'), new Date(fake.now)));
    await fake.tickAsync(1000);
    assert.deepEqual(am.summary(), ['repeat:ApiDown/firing', 'resolved:ApiDown/resolved']);
  });

  it('leaves out groups whose owner did not come back (keep), and drops notifications for channels no longer configured', async () => {
    const first = recordingDispatcher(['slack', 'webhook'], {}, { keepUndelivered: true });
    (first.rec.slack as RecordingNotifier).down = true;
    (first.rec.webhook as RecordingNotifier).down = true;
    first.d.receive(firing('ProcessCrashed', 'critical'));
    await fake.tickAsync(31_000);
    await shutdownOnRealTime(first.d);
    const saved = roundTrip(storeDispatcher(first.d.journalState()));

    const second = recordingDispatcher(['slack'], {}, { keepUndelivered: true });
    second.d.restore(loadDispatcher(saved), (a) => a.labels.alertname !== 'ProcessCrashed');
    await fake.tickAsync(10 * 60_000);
    // Delivered once on slack; no group came back, so no repeat or escalation follows.
    assert.deepEqual((second.rec.slack as RecordingNotifier).summary(), ['new:ProcessCrashed/firing']);
    const drops = second.logs.json().filter((l) => l.outcome === 'dropped');
    assert.equal(drops.length, 1);
    assert.equal(drops[0].channel, 'webhook');
    assert.deepEqual(drops[0].alerts, ['ProcessCrashed']);
  });
});
