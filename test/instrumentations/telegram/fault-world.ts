import { resourceFromAttributes } from '@opentelemetry/resources';
import * as sinon from 'sinon';
import { TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { telegramCollectors } from '../../../instrumentations/telegram/collectors';
import { createTelegramTelemetry, type TelegramTelemetry, type TelegramTelemetrySettings } from '../../../instrumentations/telegram/telegram-telemetry';
import { resolveConfig } from '../../../src/config/index';
import { Evaluator } from '../../../src/evaluator/evaluator';
import type { ComponentReportProvider, Health } from '../../../src/health/types';
import type { RateLimits } from '../../../src/limits/types';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { buildDefaultRules } from '../../../src/rules/index';
import { registerComponentReports } from '../../../src/sdk/component-reports';
import { FakeTelegram, type FakeDataCenter } from '../../../src/testing/index';
import { API_HASH, API_ID, instrument } from './harness';

/** Fake milliseconds per step of {@link FaultWorld.advance}; each step lets the fake DC's I/O run. */
const STEP_MS = 250;
/** The evaluator's interval (rules.evaluationInterval's default). */
const EVALUATE_EVERY_MS = 15_000;
const realImmediate = setImmediate;

/**
 * A fake Telegram network, real GramJS clients with their default retry settings, pulseguard's
 * Telegram area with the configuration's defaults (5-minute checks, 30 s step deadlines, the
 * spec's backoff and thresholds), the evaluator judging the default Telegram rules over the
 * process-wide metric stream, and /health/telegram as the health area serves it; all on a fake
 * clock (setTimeout, setInterval, Date, performance), so two minutes of outage take a fraction
 * of a second. The fake DC delivers packets with setImmediate, which stays real: every
 * {@link advance} step lets the I/O of that moment complete before time moves on.
 */
export class FaultWorld {
  readonly clock: sinon.SinonFakeTimers;
  readonly telegram = new FakeTelegram();
  readonly dc: FakeDataCenter;
  readonly telemetry: TelegramTelemetry;
  readonly settings: Required<Pick<TelegramTelemetrySettings, 'backoff' | 'maxAvgLatencyMs' | 'healthCheckIntervalMs'>> & { stepTimeoutMs: number };
  private readonly evaluator: Evaluator;
  private readonly report: () => Promise<Record<string, unknown>>;
  private readonly clients: TelegramClient[] = [];
  private sinceEvaluation = 0;

  constructor() {
    instrument();
    // Process-wide state made now keeps the real clock: the fake one must not leak into later tests.
    telegramCollectors();
    this.clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    this.dc = this.telegram.addDataCenter({ dcId: 2 });
    const config = resolveConfig({ service: { name: 'fault-matrix' } });
    // As the telegram area derives them (src/sdk/areas/instrumentation-areas.ts).
    const settings = { ...config.instrumentations.telegram, maxAvgLatencyMs: config.thresholds.telegram.messageLatency.critical, backoff: config.recovery.backoff };
    this.telemetry = createTelegramTelemetry(settings);
    this.settings = { ...settings, stepTimeoutMs: 30_000 };
    const rules = buildDefaultRules(config).filter((r) => r.name.startsWith('Telegram'));
    const producer = createHotMetricProducer(pulseguardMetrics, resourceFromAttributes({}));
    this.evaluator = new Evaluator({ rules, collect: async () => (await producer.collect()).resourceMetrics, now: () => Date.now() });
    const providers = new Map<string, ComponentReportProvider>();
    const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
    registerComponentReports(health, {
      websocket: undefined, telegram: this.telemetry, alerts: { active: () => this.evaluator.active() },
      limits: { health: () => ({ store: { fallback: false } }) } as unknown as RateLimits,
    });
    this.report = async () => (await providers.get('telegram')!()) as Record<string, unknown>;
  }

  /** A real TelegramClient on the fake DC with GramJS's defaults (connect retries forever, 1 s apart; auto-reconnect). */
  newClient(session: string, floodSleepThreshold?: number): TelegramClient {
    const client = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
      connection: this.telegram.Connection, baseLogger: new Logger(LogLevel.NONE), ...(floodSleepThreshold === undefined ? {} : { floodSleepThreshold }),
    });
    this.clients.push(client);
    return client;
  }

  /** Moves fake time forward by `ms`, letting I/O run at every step and the evaluator judge every 15 s. */
  async advance(ms: number): Promise<void> {
    for (let done = 0; done < ms; done += STEP_MS) {
      const step = Math.min(STEP_MS, ms - done);
      await this.clock.tickAsync(step);
      for (let i = 0; i < 8; i++) await new Promise((r) => realImmediate(r));
      this.sinceEvaluation += step;
      if (this.sinceEvaluation >= EVALUATE_EVERY_MS) {
        this.sinceEvaluation = 0;
        await this.evaluator.evaluateNow();
      }
    }
  }

  /**
   * Advances fake time until `p` settles and returns its value with the fake time it took since
   * `startedAt`; throws when `p` is still pending `deadlineMs` of fake time after `startedAt` (a
   * promise of pulseguard's that outlives its deadline).
   */
  async settlesWithin<T>(p: Promise<T>, deadlineMs: number, what: string, startedAt = Date.now()): Promise<{ value: T; tookMs: number }> {
    let outcome: { ok: true; value: T } | { ok: false; err: unknown } | undefined;
    p.then((value) => (outcome = { ok: true, value }), (err: unknown) => (outcome = { ok: false, err }));
    await Promise.resolve();
    const t0 = startedAt;
    while (outcome === undefined && Date.now() - t0 <= deadlineMs) await this.advance(STEP_MS);
    if (outcome === undefined) throw new Error(`${what} still pending after ${deadlineMs} ms of (fake) time`);
    if (!outcome.ok) throw outcome.err;
    return { value: outcome.value, tookMs: Date.now() - t0 };
  }

  /** `alertname:severity` of the Telegram alerts firing now. */
  firing(): string[] {
    return this.evaluator.active().filter((a) => a.state === 'firing').map((a) => `${a.alertname}:${a.severity}`).sort();
  }

  /** The /health/telegram body, as pulseguard's health server answers it. */
  health(): Promise<Record<string, unknown>> {
    return this.report();
  }

  /** Destroys every client, closes the network and puts the real clock back. */
  async close(): Promise<void> {
    this.telemetry.close();
    this.dc.setReachable(true);
    for (const c of this.clients.splice(0)) await this.settlesWithin(c.destroy(), 60_000, 'client.destroy()').catch(() => undefined);
    this.telegram.close();
    await this.evaluator.stop();
    this.clock.restore();
  }
}
