import { strict as assert } from 'node:assert';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { resolveConfig } from '../../../src/config/validate';
import { createLogger } from '../../../src/logging/logger';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { defineArea, type AreaEntry } from '../../../src/sdk/area';
import { composeAreas, type CompositionBase } from '../../../src/sdk/compose';
import { OtelSetup } from '../../../src/sdk/otel-setup';
import { InspectionReader } from '../../../src/metrics/inspection-reader';

/** An instrumentation that patches nothing and remembers whether it is enabled. */
class ProbeInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  on = false;
  constructor() {
    super('probe', '1.0.0', { enabled: false });
  }
  protected init(): [] {
    return [];
  }
  override enable(): void {
    super.enable();
    this.on = true;
  }
  override disable(): void {
    super.disable();
    this.on = false;
  }
}

function base(otel = new OtelSetup(), events: string[] = []): CompositionBase {
  return {
    config: resolveConfig({ service: { name: 'compose-test' }, logging: { level: 'silent' } }),
    logger: createLogger({ level: 'silent' }),
    resource: resourceFromAttributes({}),
    metrics: new HotMetricRegistry(),
    producers: [],
    clock: { now: () => 1234 },
    otel,
    shutdown: async () => void events.push('shutdown'),
  };
}

/** An area that logs its lifecycle into `events`; `fail` makes that step throw. */
function traced(name: 'limits' | 'exporters' | 'http' | 'apm', events: string[], fail?: 'create' | 'start'): AreaEntry {
  return defineArea({
    name,
    settings: (c) => c.service.name,
    create(ctx) {
      events.push(`create ${name} ${ctx.config}`);
      if (fail === 'create') throw new Error(`${name} cannot be built`);
      return {
        handle: undefined as never,
        start() {
          events.push(`start ${name}`);
          if (fail === 'start') throw new Error(`${name} cannot start`);
        },
        stop: () => void events.push(`stop ${name}`),
      };
    },
  });
}

describe('composeAreas', () => {
  it('builds every area, then starts them in table order, and stops them in reverse', async () => {
    const events: string[] = [];
    const c = await composeAreas([traced('limits', events), traced('exporters', events), traced('http', events)], base(undefined, events));
    assert.deepEqual(events, ['create limits compose-test', 'create exporters compose-test', 'create http compose-test', 'start limits', 'start exporters', 'start http']);
    events.length = 0;
    await c.stop();
    await c.stop();
    assert.deepEqual(events, ['stop http', 'stop exporters', 'stop limits']);
  });

  it('stops what already ran, last first, when a later area fails to start, and rethrows', async () => {
    const events: string[] = [];
    await assert.rejects(composeAreas([traced('limits', events), traced('exporters', events, 'start'), traced('http', events)], base(undefined, events)), /exporters cannot start/);
    assert.deepEqual(events.slice(3), ['start limits', 'start exporters', 'stop http', 'stop exporters', 'stop limits']);
  });

  it('stops the areas already built when a later one cannot be built', async () => {
    const events: string[] = [];
    await assert.rejects(composeAreas([traced('limits', events), traced('exporters', events, 'create'), traced('http', events)], base(undefined, events)), /exporters cannot be built/);
    assert.deepEqual(events, ['create limits compose-test', 'create exporters compose-test', 'stop limits']);
  });

  it('rejects an area that reads a later area\'s handle, naming the order as the fault', async () => {
    const early = defineArea({ name: 'apm', settings: () => undefined, create: (ctx) => ({ handle: ctx.limiter as never }) });
    await assert.rejects(composeAreas([early], base()), /area "limits" is used before it is built/);
  });

  it('gives every area the same clock, and its own settings slice', async () => {
    let seen: unknown;
    const area = defineArea({ name: 'apm', settings: (c) => c.errors.maxGroups, create: (ctx) => {
      seen = [ctx.config, ctx.clock.now()];
      return { handle: undefined as never };
    } });
    await (await composeAreas([area], base())).stop();
    assert.deepEqual(seen, [resolveConfig({ service: { name: 'x' } }).errors.maxGroups, 1234]);
  });

  it('enables instrumentations against the providers in effect and disables them when their area stops', async () => {
    const otel = new OtelSetup();
    const probe = new ProbeInstrumentation();
    const reader = new InspectionReader();
    const providers = defineArea({ name: 'exporters', settings: () => undefined, create: (ctx) => {
      ctx.addMetricReader(reader);
      otel.setProviders(new MeterProvider({ readers: [...otel.takeReaders()] }), new BasicTracerProvider());
      return { handle: undefined as never };
    } });
    const instrumented = defineArea({ name: 'http', settings: () => undefined, create: (ctx) => {
      ctx.instrument([probe]);
      ctx.signals.meter.createCounter('probe.calls').add(2);
      return { handle: undefined };
    } });
    const c = await composeAreas([providers, instrumented], base(otel));
    assert.equal(probe.on, true);
    const { resourceMetrics } = await reader.collect();
    assert.equal(resourceMetrics.scopeMetrics[0].metrics[0].descriptor.name, 'probe.calls');
    assert.throws(() => otel.addMetricReader(new InspectionReader()), /added after the otel area/);
    await c.stop();
    assert.equal(probe.on, false);
  });
});
