import type { NotifyResult } from '../types';
import { redactString } from '../../logging/redaction';

/** Hides credentials, path secrets and query strings of a channel URL (Alertmanager's RedactURL). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/<redacted>`;
  } catch {
    return '<invalid url>';
  }
}

/**
 * POSTs JSON and maps the answer to a {@link NotifyResult}: 2xx is ok, 429/5xx and network
 * errors are retryable, other 4xx are not (retrying a bad request never helps). Error text
 * never contains the URL (it is often the secret: Slack webhooks, tokens in query strings).
 */
export async function postJson(url: string, body: unknown, signal: AbortSignal, headers: Record<string, string> = {}): Promise<NotifyResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  } catch (err) {
    const cause = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
    return { ok: false, retryable: true, error: `POST ${redactUrl(url)} failed: ${redactString(cause.split(url).join(redactUrl(url)))}` };
  }
  // Drain the body so the connection can be reused.
  const text = await res.text().catch(() => '');
  if (res.ok) return { ok: true };
  const retryable = res.status === 429 || res.status >= 500;
  return { ok: false, retryable, error: `POST ${redactUrl(url)} answered ${res.status}${text ? `: ${redactString(text.slice(0, 200))}` : ''}` };
}
