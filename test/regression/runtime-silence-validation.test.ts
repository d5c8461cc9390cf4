import { strict as assert } from 'node:assert';
import type * as sinon from 'sinon';
import { fakeClock, recordingDispatcher } from '../helpers/alert-recorder';
import { firing } from '../helpers/alerts';
import type { MatcherInput } from '../../src/alerting/index';

// Issue 18 item 10: notifications.silence() took matchers as they came: a JavaScript caller that
// left out isEqual got the matcher inverted (undefined is falsy), and nothing was validated.
describe('AlertDispatcher#silence (regression: validated like the config)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('defaults isEqual to true: a matcher without it silences what it names, not everything else', async () => {
    const { d, rec } = recordingDispatcher(['slack']);
    d.silence([{ name: 'alertname', value: 'SlowApi' }], new Date(3_600_000));
    d.receive(firing('SlowApi', 'warning'));
    d.receive(firing('DbDown', 'warning'));
    await fake.tickAsync(31_000);
    assert.deepEqual(rec.slack.summary().sort(), ['new:DbDown/firing']);
  });

  it('rejects bad input with a message naming the field', () => {
    const { d } = recordingDispatcher(['slack']);
    assert.throws(() => d.silence([], new Date(1000)), /silence\.matchers/);
    assert.throws(() => d.silence([{ name: '', value: 'x' }], new Date(1000)), /silence\.matchers\.0\.name/);
    assert.throws(() => d.silence([{ name: 'a', value: 'x' }], new Date('not a date')), /silence\.endsAt/);
    assert.throws(() => d.silence([{ name: 'a', value: 'x', isEqual: 'yes' } as unknown as MatcherInput], new Date(1000)), /isEqual/);
  });
});
