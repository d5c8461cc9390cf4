import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { CallTracker } from '../call-tracker';
import type { TelegramInstrumentationConfig } from '../types';
import type { UpdateSink } from '../update-callback';

/** InstrumentationBase's `_wrap` (shimmer's wrap), handed to the patch installers. @internal */
export type Wrap = InstrumentationBase['_wrap'];

/** What each patch installer needs from the instrumentation (one per instance, read lazily). @internal */
export interface PatchContext {
  wrap: Wrap;
  /** Records that this instance patched `module`, so only it unpatches. */
  own(module: object): void;
  calls(): CallTracker;
  config(): TelegramInstrumentationConfig;
  /** What the wrapped update callbacks report to. */
  updateSink: UpdateSink;
}
