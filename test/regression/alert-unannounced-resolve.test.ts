import { strict as assert } from 'node:assert';
import type * as sinon from 'sinon';
import { fakeClock, recordingDispatcher } from '../helpers/alert-recorder';
import { firing, resolved } from '../helpers/alerts';

// Issue 18 item 6: an alert that fired and resolved within group wait produced a "resolved"
// notification for something never announced. Alertmanager sends nothing then.
describe('AlertDispatcher (regression: resolve of an alert never announced)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('sends nothing for an alert that fired and resolved within group wait', async () => {
    const { d, rec } = recordingDispatcher(['slack', 'log']);
    const a = firing('SlowApi', 'warning');
    d.receive(a);
    await fake.tickAsync(10_000);
    d.receive(resolved(a, new Date(fake.now)));
    await fake.tickAsync(60 * 60_000);
    assert.deepEqual(rec.slack.summary(), []);
    assert.deepEqual(rec.log.summary(), []);
  });

  it('still reports the other alerts of the group, without the unannounced one', async () => {
    const { d, rec } = recordingDispatcher(['slack']);
    const a = firing('HighLatency', 'warning', new Date(0), { route: '/a' });
    d.receive(a);
    d.receive(firing('HighLatency', 'warning', new Date(0), { route: '/b' }));
    await fake.tickAsync(10_000);
    d.receive(resolved(a, new Date(fake.now)));
    await fake.tickAsync(31_000);
    assert.deepEqual(rec.slack.summary(), ['new:HighLatency/b/firing']);
  });
});
