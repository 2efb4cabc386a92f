// Client-side pacing for LookupEvents: AWS allows 2 requests/s per account and region, shared by
// every caller, so the poller spaces its own requests (both event sources share one limiter)
// instead of relying on throttling errors.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export class IntervalRateLimiter {
  private nextSlot = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(requestsPerSecond > 0)) throw new Error(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the caller may send one request. Slots are reserved synchronously, so
   * concurrent callers queue in order. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now);
  }
}

/** One limiter per account+region key, so every poll of that location shares the budget. */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, IntervalRateLimiter>();

  constructor(
    private readonly requestsPerSecond: number,
    private readonly clock: Clock,
  ) {}

  for(account: string, region: string): IntervalRateLimiter {
    const key = `${account}|${region}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new IntervalRateLimiter(this.requestsPerSecond, this.clock);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

/** Exponential backoff after the SDK's own retries gave up on a throttled request. */
export function throttleBackoffMs(retry: number, baseMs = 1000, maxMs = 20_000): number {
  return Math.min(maxMs, baseMs * 2 ** retry);
}
