import type { Notification, Notifier, NotifyResult } from '../types';
import { describeAlert, notificationTitle } from '../format';
import { redactString } from '../../logging/redaction';
import { loadOptionalPeer, MissingPeerError } from '../../internal/optional-peer';
import type * as Nodemailer from 'nodemailer';

/** SMTP settings of the e-mail channel (see alerting.channels.email). */
export interface EmailSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
}

interface Transport {
  sendMail(mail: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
  close(): void;
}

// SMTP reply codes 4xx are transient (RFC 5321 §4.2.1); 5xx are permanent.
function isTransient(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode < 500;
  return true; // connection errors, timeouts
}

/** E-mail over SMTP with nodemailer (loaded only when the channel is configured). */
export class EmailNotifier implements Notifier {
  readonly channel = 'email' as const;
  private transport: Transport | undefined;
  constructor(private readonly settings: EmailSettings) {}

  private getTransport(): Transport {
    if (!this.transport) {
      // nodemailer is an optional peer: loaded at the first e-mail, through the one loader that
      // names the package to install when it is absent.
      const nodemailer = loadOptionalPeer<typeof Nodemailer>('nodemailer');
      const s = this.settings;
      this.transport = nodemailer.createTransport({
        host: s.host, port: s.port, secure: s.secure,
        ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
        connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
        tls: { rejectUnauthorized: s.secure },
      }) as unknown as Transport;
    }
    return this.transport;
  }

  /**
   * Sends one e-mail. nodemailer takes no abort signal, so an abort (the attempt's timeout or the
   * shutdown deadline) closes the transport, which ends the SMTP connection at once; the next
   * attempt opens a new one.
   */
  async notify(n: Notification, signal?: AbortSignal): Promise<NotifyResult> {
    let onAbort: (() => void) | undefined;
    try {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      const t = this.getTransport();
      const sent = t.sendMail({
        from: this.settings.from,
        to: this.settings.to.join(', '),
        subject: `[pulseguard] ${notificationTitle(n)}`,
        text: `${n.alerts.map((a) => describeAlert(a)).join('\n')}\n\nlevel: ${n.level}, reason: ${n.reason}\n`,
      });
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          if (this.transport === t) this.transport = undefined;
          t.close();
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      // The losing promise's rejection is handled, so an abort after delivery leaves no unhandled rejection.
      aborted.catch(() => undefined);
      sent.catch(() => undefined);
      await Promise.race([sent, aborted]);
      return { ok: true };
    } catch (err) {
      // Retrying cannot install a package: say which one, once.
      if (err instanceof MissingPeerError) return { ok: false, retryable: false, error: err.message };
      const msg = err instanceof Error ? err.message : String(err);
      const redacted = this.settings.password ? msg.split(this.settings.password).join('[REDACTED]') : msg;
      return { ok: false, retryable: isTransient(err), error: `SMTP delivery failed: ${redactString(redacted)}` };
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  close(): void {
    this.transport?.close();
  }
}
