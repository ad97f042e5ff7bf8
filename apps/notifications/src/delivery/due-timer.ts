/**
 * Wakes a dispatcher at the earliest moment any of its workers asked for: when the next ledger row comes due (a
 * retry, a deferred email, a lease that runs out), or after the dispatch interval at the latest. New rows wake it
 * through LISTEN, so an idle ledger costs no query until then.
 */
export class DueTimer {
  private timer?: NodeJS.Timeout;
  private at = Infinity;

  constructor(private readonly onDue: () => void) {}

  /** Wakes at `nextDue` (or `now + maxWaitMs` if sooner or none is due); an earlier wake-up already set stands. */
  wakeBy(nextDue: Date | null, maxWaitMs: number, now = Date.now()): void {
    const at = Math.min(nextDue?.getTime() ?? Infinity, now + maxWaitMs);
    if (at >= this.at) return;
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.at = Infinity;
        this.onDue();
      },
      Math.max(0, at - now),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }
}
