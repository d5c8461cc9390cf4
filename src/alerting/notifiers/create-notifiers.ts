/* eslint-disable @typescript-eslint/no-require-imports -- see createNotifiers */
import type { PulseguardConfig } from '../../config/types';
import type { Logger } from '../../logging/logger';
import type { ChannelName, Notifier } from '../types';
import { LogNotifier } from './log-notifier';

/**
 * Builds a notifier for every configured channel. Only the log channel is on by default; the
 * others are required when configured, so a default config never loads them.
 */
export function createNotifiers(channels: PulseguardConfig['alerting']['channels'], logger: Logger): Partial<Record<ChannelName, Notifier>> {
  const out: Partial<Record<ChannelName, Notifier>> = {};
  if (channels.log.enabled) out.log = new LogNotifier(logger);
  if (channels.slack) {
    const { SlackNotifier } = require('./slack-notifier') as typeof import('./slack-notifier');
    out.slack = new SlackNotifier(channels.slack.webhookUrl, channels.slack.channel);
  }
  if (channels.email) {
    const { EmailNotifier } = require('./email-notifier') as typeof import('./email-notifier');
    out.email = new EmailNotifier(channels.email);
  }
  if (channels.alertmanager) {
    const { AlertmanagerNotifier } = require('./alertmanager-notifier') as typeof import('./alertmanager-notifier');
    out.alertmanager = new AlertmanagerNotifier(channels.alertmanager.url);
  }
  if (channels.webhook) {
    const { WebhookNotifier } = require('./webhook-notifier') as typeof import('./webhook-notifier');
    out.webhook = new WebhookNotifier(channels.webhook.url, channels.webhook.headers);
  }
  return out;
}
