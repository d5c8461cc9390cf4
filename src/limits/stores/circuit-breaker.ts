/** Where a circuit breaker stands: closed (the store answers), open (the fallback answers), half-open (one probe). */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** Options of {@link CircuitBreaker}. @internal */
export interface CircuitBreakerOptions {
  /** Consecutive failures (errors or timeouts) that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one call probes the store again. */
  openMs: number;
  now: () => number;
  /** Called on every change of state. */
  onChange?: (state: BreakerState) => void;
}

/**
 * A circuit breaker in front of the shared rate-limit store. A hung Redis (a stopped process, a
 * black-holed network) answers nothing until the decision timeout, so without a breaker every
 * decision would wait that long; after `failureThreshold` consecutive failures the breaker opens
 * and decisions go to the fallback at once. After `openMs` one decision probes the store (half
 * open): its success closes the breaker, its failure opens it for another `openMs`.
 *
 * @internal
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly opts: CircuitBreakerOptions) {}

  get state(): BreakerState {
    return this.current;
  }

  /** True when the last call to the store failed (the breaker may still be closed). */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** True: ask the store; false: answer from the fallback now, without waiting for it. */
  tryStore(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.opts.now() - this.openedAt < this.opts.openMs) return false;
      this.set('half_open');
    }
    // Half open: a single probe at a time, everyone else keeps the fallback.
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(): void {
    this.failures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.opts.failureThreshold)) {
      this.probing = false;
      this.openedAt = this.opts.now();
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    this.current = state;
    this.opts.onChange?.(state);
  }
}
