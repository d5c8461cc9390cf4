import { strict as assert } from 'node:assert';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Api } from 'telegram';
import { Raw } from 'telegram/events';
import { returnBigInt } from 'telegram/Helpers';
import { METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, SPAN_UPDATE_HANDLER } from '../../../instrumentations/telegram/index';
import { setAccount } from '../../../instrumentations/telegram/accounts';
import { until } from '../../helpers/poll';
import { collectMetrics, fakeClient, instrument, metricDescriptor, metricValue } from './harness';

const typing = (userId: number) => new Api.UpdateShort({
  update: new Api.UpdateUserTyping({ userId: returnBigInt(userId), action: new Api.SendMessageTypingAction() }), date: Math.floor(Date.now() / 1000),
});
const TYPING = { 'telegram.update.type': 'UpdateUserTyping' };

/** Sum of the recorded durations (seconds) of the handler histogram's points matching `match`. */
async function handlerSeconds(match: Record<string, unknown>): Promise<number> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === METRIC_TELEGRAM_UPDATE_HANDLER_DURATION);
  let sum = 0;
  for (const p of (m?.dataPoints ?? []) as Array<{ attributes: Record<string, unknown>; value: { sum?: number } }>) {
    if (Object.entries(match).every(([k, v]) => p.attributes[k] === v)) sum += p.value.sum ?? 0;
  }
  return sum;
}

describe('Telegram update handler latency (fake DC, real GramJS)', () => {
  let env: ReturnType<typeof fakeClient>;
  let spans: ReturnType<typeof instrument>['spans'];
  let ownContextManager = false;

  before(() => {
    // Span parenting needs a context manager, as NodeSDK and start() register one.
    ownContextManager = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });

  after(() => {
    if (ownContextManager) context.disable();
  });

  beforeEach(async () => {
    spans = instrument().spans;
    env = fakeClient();
    await env.client.connect();
  });

  afterEach(async () => {
    await env.client.destroy();
    env.telegram.close();
  });

  it('records how long an async handler ran, by update type, with a span its RPC calls are children of', async () => {
    const count = await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING);
    const seconds = await handlerSeconds(TYPING);
    let runs = 0;
    const handler = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 60));
      await env.client.invoke(new Api.help.GetNearestDc());
      runs += 1;
    };
    env.client.addEventHandler(handler, new Raw({}));
    env.dc.pushUpdate(typing(5));
    await until(() => runs === 1, 'the handler to finish', 3000);
    await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING)) === count + 1, 'one handler run recorded', 1000);
    assert.ok((await handlerSeconds(TYPING)) - seconds >= 0.055, 'the recorded duration covers the handler awaiting 60 ms');
    assert.equal((await metricDescriptor(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION))?.unit, 's');

    const finished = spans.getFinishedSpans();
    const span = finished.find((s) => s.name === SPAN_UPDATE_HANDLER);
    assert.ok(span, 'a telegram.update.handler span');
    assert.equal(span.attributes['telegram.update.type'], 'UpdateUserTyping');
    assert.equal(span.attributes['rpc.system'], 'telegram');
    const rpc = finished.find((s) => s.name === 'help.GetNearestDc');
    assert.ok(rpc);
    assert.equal(rpc.parentSpanContext?.spanId, span.spanContext().spanId, 'the RPC made by the handler is a child of its span');
  });

  it('leaves the app its own functions: listEventHandlers shows them and removeEventHandler removes them', async () => {
    let runs = 0;
    const handler = (): void => {
      runs += 1;
    };
    const event = new Raw({});
    env.client.addEventHandler(handler, event);
    env.dc.pushUpdate(typing(6));
    await until(() => runs === 1, 'the handler to run', 3000);
    assert.ok(env.client.listEventHandlers().some(([, cb]) => cb === handler), 'the registered function, not a wrapper');
    env.client.removeEventHandler(handler, event);
    assert.equal(env.client.listEventHandlers().length, 0);
    const before = await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING);
    env.dc.pushUpdate(typing(7));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(runs, 1, 'a removed handler no longer runs');
    assert.equal(await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING), before);
  });

  it("disable() puts back the app's own handlers and the sender's own update callback, and stops timing", async () => {
    const { instrumentation } = instrument();
    const WRAPPED = Symbol.for('pulseguard.telegram.updateCallback');
    const internals = env.client as unknown as { _eventBuilders: [unknown, unknown][]; _sender: { _updateCallback: Record<symbol, unknown> } };
    let runs = 0;
    const handler = (update: { className?: string }): void => {
      if (update.className === 'UpdateUserTyping') runs += 1;
    };
    env.client.addEventHandler(handler, new Raw({}));
    env.dc.pushUpdate(typing(11));
    await until(() => runs === 1, 'the handler to run', 3000);
    assert.notEqual(internals._eventBuilders[0][1], handler, 'GramJS holds the timing wrapper while enabled');
    assert.equal(internals._sender._updateCallback[WRAPPED], true);

    instrumentation.disable();
    try {
      assert.equal(internals._eventBuilders[0][1], handler, "GramJS holds the app's function again");
      assert.equal(internals._sender._updateCallback[WRAPPED], undefined, "the sender's own update callback is back");
      const before = await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING);
      env.dc.pushUpdate(typing(12));
      await until(() => runs === 2, 'the handler to run after disable()', 3000);
      assert.equal(internals._eventBuilders[0][1], handler, 'not wrapped again');
      assert.equal(await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING), before, 'no run timed after disable()');
    } finally {
      instrumentation.enable();
    }
  });

  it('times a handler that throws, marks its span as an error, and still lets GramJS see the error', async () => {
    const count = await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING);
    const seen: unknown[] = [];
    env.client.onError = async (err: Error) => {
      seen.push(err);
    };
    env.client.addEventHandler(() => {
      throw new Error('handler bug');
    }, new Raw({}));
    env.dc.pushUpdate(typing(8));
    await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, TYPING)) === count + 1, 'the failed run recorded', 3000);
    const span = spans.getFinishedSpans().find((s) => s.name === SPAN_UPDATE_HANDLER);
    assert.equal(span?.status.code, 2, 'ERROR');
    await until(() => seen.length === 1, "GramJS's own error handler to get the error", 1000);
    assert.equal((seen[0] as Error).message, 'handler bug');
  });

  it('labels a named account and covers handlers registered before the client connected', async () => {
    await env.client.destroy();
    env.telegram.close();
    env = fakeClient();
    setAccount(env.client, 'handlers-bot');
    let runs = 0;
    // Also called with GramJS's UpdateConnectionState at connect: count the typing update only.
    env.client.addEventHandler((update: { className?: string }) => {
      if (update.className === 'UpdateUserTyping') runs += 1;
    }, new Raw({}));
    await env.client.connect();
    const match = { ...TYPING, 'telegram.account': 'handlers-bot' };
    const before = await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, match);
    env.dc.pushUpdate(typing(9));
    await until(() => runs === 1, 'the handler to run', 3000);
    await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, match)) === before + 1, 'a run with the account', 1000);
  });
});
