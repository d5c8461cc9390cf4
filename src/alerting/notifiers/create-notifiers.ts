import type { PulseguardConfig } from '../../config/types';
import type { Logger } from '../../logging/logger';
import type { ChannelName, Notifier } from '../types';
import { LogNotifier } from './log-notifier';
import { SlackNotifier } from './slack-notifier';
import { EmailNotifier } from './email-notifier';
import { AlertmanagerNotifier } from './alertmanager-notifier';
import { WebhookNotifier } from './webhook-notifier';

/** Builds a notifier for every configured channel. */
export function createNotifiers(channels: PulseguardConfig['alerting']['channels'], logger: Logger): Partial<Record<ChannelName, Notifier>> {
  const out: Partial<Record<ChannelName, Notifier>> = {};
  if (channels.log.enabled) out.log = new LogNotifier(logger);
  if (channels.slack) out.slack = new SlackNotifier(channels.slack.webhookUrl, channels.slack.channel);
  if (channels.email) out.email = new EmailNotifier(channels.email);
  if (channels.alertmanager) out.alertmanager = new AlertmanagerNotifier(channels.alertmanager.url);
  if (channels.webhook) out.webhook = new WebhookNotifier(channels.webhook.url, channels.webhook.headers);
  return out;
}
