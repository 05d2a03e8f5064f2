/** Concurrency, per-host pacing and retry timing for model calls. Pure apart from the clock it is given. */

export interface Clock {
  now(): number;
  /** Resolves after ms, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** Longer waits than this are reported and the job is paused rather than sleeping through them. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Exponential backoff with full jitter (spreads retries so parallel calls do not stampede),
 * except that a server's Retry-After is honoured exactly, plus a little jitter on top of it.
 */
export function retryDelay(attempt: number, retryAfterMs: number | null, random: () => number): number {
  if (retryAfterMs != null) return retryAfterMs + Math.floor(random() * 250);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Paces calls per host: at most `perSecond` starts a second, and when one call is told to wait
 * (429 Retry-After), every call to that host waits too instead of hammering it.
 */
export class HostGate {
  private next = new Map<string, number>();
  private blocked = new Map<string, number>();

  constructor(private clock: Clock, private perSecond = 50) {}

  block(host: string, until: number): void {
    this.blocked.set(host, Math.max(this.blocked.get(host) ?? 0, until));
  }

  blockedUntil(host: string): number {
    return this.blocked.get(host) ?? 0;
  }

  async wait(host: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const at = Math.max(this.next.get(host) ?? 0, this.blocked.get(host) ?? 0);
      if (at <= now) {
        this.next.set(host, now + 1000 / this.perSecond);
        return;
      }
      await this.clock.sleep(at - now, signal);
    }
  }
}

/**
 * Keeps a job's spend under its cap counting calls still in flight: a call may start only if
 * the money spent plus what every running call may cost still fits. The cost per call is what
 * this job was charged (the most so far); before the first charge, a prior estimate (earlier
 * runs, or the catalog price) lets calls run in parallel while it fits, and otherwise calls run
 * one at a time until a charge is known.
 */
export class BudgetGate {
  private inFlight = 0;
  private measured: number | null = null;
  private waiters: Array<() => void> = [];

  constructor(
    private budgetUsd: number,
    private spent: () => number,
    private prior: number | null,
  ) {}

  private fits(): boolean {
    const spent = this.spent();
    if (spent >= this.budgetUsd) return false;
    const perCall = this.measured ?? this.prior;
    if (perCall != null && spent + (this.inFlight + 1) * perCall <= this.budgetUsd + 1e-12) return true;
    // Cost not measured yet: one call alone finds it out.
    return this.measured == null && this.inFlight === 0;
  }

  /** True when a call may start (and is counted as in flight); false when the budget is used up. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.fits()) {
        this.inFlight += 1;
        return true;
      }
      if (this.inFlight === 0) return false;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  release(chargedUsd: number | null): void {
    this.inFlight -= 1;
    if (chargedUsd != null) this.measured = Math.max(this.measured ?? 0, chargedUsd);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}
