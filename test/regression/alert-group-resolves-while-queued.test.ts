import { strict as assert } from 'node:assert';
import type * as sinon from 'sinon';
import { fakeClock, recordingDispatcher } from '../helpers/alert-recorder';
import { firing, resolved } from '../helpers/alerts';

const MIN = 60_000;

// Issue 18 item 2: a group forgot a resolved alert once it was part of a notification; if that
// notification was still queued (channel down), the next one replaced it and the resolve was lost.
describe('AlertDispatcher groups of several alerts (regression: resolves lost while queued)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('delivers /a resolved when the channel comes back, between a+b and b+c', async () => {
    const { d, rec } = recordingDispatcher(['slack']);
    const route = (r: string) => firing('HighLatency', 'warning', new Date(0), { route: r });
    rec.slack.down = true;
    d.receive(route('/a'));
    d.receive(route('/b'));
    await fake.tickAsync(31_000);
    d.receive(resolved(route('/a'), new Date(fake.now)));
    await fake.tickAsync(MIN);
    d.receive(route('/c'));
    await fake.tickAsync(MIN);
    rec.slack.down = false;
    await fake.tickAsync(10 * MIN);
    assert.deepEqual(rec.slack.summary(), [
      'new:HighLatency/a/firing+HighLatency/b/firing',
      'changed:HighLatency/b/firing+HighLatency/a/resolved',
      'changed:HighLatency/b/firing+HighLatency/c/firing',
    ]);
  });
});
