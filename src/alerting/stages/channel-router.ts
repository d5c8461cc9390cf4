import { defaultsAt } from '../../config/fast-parse';
import type { PulseguardConfig } from '../../config/types';
import type { ChannelName, MatrixLevel, NotifyReason } from '../types';

type AlertingConfig = PulseguardConfig['alerting'];

const LEVELS = ['high', 'medium', 'low'] as const;
const NEXT_LEVEL: Record<MatrixLevel, MatrixLevel | undefined> = { low: 'medium', medium: 'high', high: undefined };

// The schema is the one home of the defaults: read them from it rather than repeating them here.
const DEFAULTS = defaultsAt<AlertingConfig>('config', ['alerting']);

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Routing by the alerting matrix, restricted to the channels that are configured: a default
 * level never names a channel nobody configured (no warning, no route); a level the user wrote
 * with an unconfigured channel warns once at start; a level (or the escalation) left without any
 * configured channel goes to the log channel (when enabled), so an alert is never routed nowhere.
 */
export class ChannelRouter {
  private readonly byLevel: Record<MatrixLevel, ChannelName[]>;
  private readonly escalation: ChannelName[];

  constructor(config: AlertingConfig, configured: ReadonlySet<ChannelName>, warnUnconfigured: (channel: ChannelName, level: string) => void) {
    const keep = (channels: readonly ChannelName[], explicit: boolean, where: string): ChannelName[] => {
      const out: ChannelName[] = [];
      for (const ch of new Set(channels)) {
        if (configured.has(ch)) out.push(ch);
        else if (explicit) warnUnconfigured(ch, where);
      }
      return out;
    };
    const fallback: ChannelName[] = configured.has('log') ? ['log'] : [];
    const byLevel = {} as Record<MatrixLevel, ChannelName[]>;
    for (const level of LEVELS) {
      const channels = config.matrix[level].channels;
      const routed = keep(channels, !sameList(channels, DEFAULTS.matrix[level].channels), level);
      byLevel[level] = routed.length > 0 ? routed : fallback;
    }
    this.byLevel = byLevel;
    // Alertmanager receives every alert directly, so it never counts as an escalation route.
    const escalation = keep(config.escalationChannels, !sameList(config.escalationChannels, DEFAULTS.escalationChannels), 'escalation')
      .filter((ch) => ch !== 'alertmanager');
    this.escalation = escalation.length > 0 ? escalation : fallback;
  }

  /** The channels a notification of this level and reason goes to. */
  channelsFor(level: MatrixLevel, reason: NotifyReason): readonly ChannelName[] {
    if (reason !== 'escalation') return this.byLevel[level];
    const next = NEXT_LEVEL[level];
    return next ? this.byLevel[next] : this.escalation;
  }
}
