import type { HotHistogramSeries, HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import {
  ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_ERROR, LIMITED_ERROR_CODES, METRIC_TELEGRAM_ACCOUNT_LIMITS, METRIC_TELEGRAM_UPLOAD_PART_DURATION,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds; a 512 KB part takes well under a second on a healthy link. */
export const UPLOAD_PART_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * telegram.account.limits (PEER_FLOOD, FROZEN_*: the account is limited, not the network slow)
 * and telegram.upload.part.duration. Known limit codes exist at 0 so rules see increases from
 * the first one. @internal
 */
export class LimitsCollector extends BaseCollector {
  private readonly limits;
  private readonly uploadPart;
  private readonly limitHandles = this.cache<HotSum>(64);
  private readonly uploadHandles = this.cache<HotHistogramSeries>(64);

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.limits = registry.counter({ name: METRIC_TELEGRAM_ACCOUNT_LIMITS, unit: '{error}',
      description: 'Errors that mean Telegram limits the account (PEER_FLOOD, FROZEN_*), by code.' });
    this.uploadPart = registry.histogram({ name: METRIC_TELEGRAM_UPLOAD_PART_DURATION, unit: 's',
      description: 'Round trip of each uploaded file part.' }, UPLOAD_PART_BUCKETS);
    for (const code of LIMITED_ERROR_CODES) this.limitHandles.get(`${code}|`, () => this.limits.series({ [ATTR_TELEGRAM_ERROR]: code }));
  }

  /** Counts one account-limit error. */
  record(code: string, account?: string): void {
    this.limitHandles.get(`${code}|${account ?? ''}`, () => this.limits.series(account === undefined
      ? { [ATTR_TELEGRAM_ERROR]: code } : { [ATTR_TELEGRAM_ERROR]: code, [ATTR_TELEGRAM_ACCOUNT]: account })).add(1);
  }

  /** Records one upload part's round trip. */
  recordUploadPart(seconds: number, account?: string): void {
    this.uploadHandles.get(account ?? '', () => this.uploadPart.series(account === undefined ? {} : { [ATTR_TELEGRAM_ACCOUNT]: account })).record(seconds);
  }
}
