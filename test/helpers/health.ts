import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from '../../src/config/index';
import type { PulseguardConfigInput } from '../../src/config/index';
import { createHealth } from '../../src/health/index';
import type { Health, HealthRequestHandler } from '../../src/health/index';
import { createLogger } from '../../src/logging/index';
import type { RateLimits } from '../../src/limits/types';
import { registerComponentReports } from '../../src/sdk/component-reports';
import type { TelegramHealthReport } from '../../instrumentations/telegram/telegram-health';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';

/** A detailed-health token for tests (16+ characters). */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Builds telemetry.health from a config, without starting the SDK. */
export function makeHealth(input: Partial<PulseguardConfigInput> = {}, finalShutdown: () => Promise<void> = async () => {}) {
  const config = resolveConfig({ service: { name: 'health-test', version: '4.5.6' }, ...input });
  return createHealth({ config, logger: createLogger({ level: 'silent' }), finalShutdown });
}

/** Serves a handler on a free loopback port. */
export async function serveHandler(handler: HealthRequestHandler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** GET a URL; returns status, content type and parsed JSON body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text, headers: res.headers };
}

export type { Health };

/**
 * The status /health/telegram gives a Telegram report when no rule fires: the composition root's
 * provider over a real telemetry.health (so a monitored session that is down shows as it would).
 */
export async function telegramEndpointStatus(report: () => Promise<TelegramHealthReport>): Promise<{ status: unknown; decidedBy: unknown }> {
  const { health } = makeHealth({ health: { cacheTtlMs: 0 } });
  const limits = { health: () => { throw new Error('not read'); } } as unknown as RateLimits;
  registerComponentReports(health, { websocket: undefined, telegram: { report } as unknown as TelegramTelemetry, limits, alerts: { active: () => [] } });
  const outcome = await health.componentReport('telegram');
  return { status: outcome?.report.status, decidedBy: outcome?.report.decidedBy };
}
