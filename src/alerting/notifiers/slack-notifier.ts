import type { Notification, Notifier, NotifyResult } from '../types';
import { describeAlert, notificationTitle } from '../format';
import { postJson } from './http-post';

/** Slack incoming webhook. The URL is a secret: it appears in no log line or error. */
export class SlackNotifier implements Notifier {
  readonly channel = 'slack' as const;
  constructor(private readonly webhookUrl: string, private readonly slackChannel?: string) {}

  /** The message body: a readable text plus blocks with a runbook link per alert. */
  static payload(n: Notification, slackChannel?: string): Record<string, unknown> {
    const emoji = n.status === 'resolved' ? ':white_check_mark:' : n.level === 'high' ? ':rotating_light:' : n.level === 'medium' ? ':warning:' : ':information_source:';
    const title = `${emoji} ${notificationTitle(n)}`;
    const lines = n.alerts.map((a) => {
      const runbook = a.annotations.runbook_url ?? a.annotations.runbook;
      return `• ${describeAlert(a)}${runbook ? ` <${runbook}|runbook>` : ''}`;
    });
    return {
      ...(slackChannel ? { channel: slackChannel } : {}),
      text: `${title}\n${lines.join('\n')}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: notificationTitle(n).slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `severity level *${n.level}* · reason ${n.reason}${n.repeat ? ` · repeat ${n.repeat}` : ''}` }] },
      ],
    };
  }

  notify(n: Notification, signal: AbortSignal): Promise<NotifyResult> {
    return postJson(this.webhookUrl, SlackNotifier.payload(n, this.slackChannel), signal);
  }
}
