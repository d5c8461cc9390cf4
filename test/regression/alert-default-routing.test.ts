import { strict as assert } from 'node:assert';
import type * as sinon from 'sinon';
import { fakeClock, recordingDispatcher } from '../helpers/alert-recorder';
import { firing } from '../helpers/alerts';

// Issue 18 item 8: the default matrix routed to slack and email whether configured or not
// (two warnings at every start), and a webhook channel alone received nothing until added to
// matrix.<level>.channels.
describe('AlertDispatcher default routing (regression: channels nobody configured)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('routes every level to a webhook configured alone, without warnings', async () => {
    const { d, rec, logs } = recordingDispatcher(['log', 'webhook']);
    d.receive(firing('DbDown', 'critical'));
    d.receive(firing('SlowApi', 'warning'));
    await fake.tickAsync(31_000);
    assert.deepEqual(rec.webhook.summary().sort(), ['new:DbDown/firing', 'new:SlowApi/firing']);
    assert.deepEqual(logs.json().filter((l) => (l.level as number) >= 40 && l.channel !== undefined), []);
  });

  it('falls back to the log channel when a level has no configured channel', async () => {
    const { d, rec, logs } = recordingDispatcher(['log']);
    d.receive(firing('DbDown', 'critical'));
    await fake.tickAsync(31_000);
    assert.deepEqual(rec.log.summary(), ['new:DbDown/firing']);
    assert.equal(logs.json().filter((l) => l.level === 40).length, 0, logs.text);
  });
});
