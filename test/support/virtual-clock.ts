/**
 * Time for a simulation that runs real code against the real embedded store: it passes only while
 * every task waits on it. A sleep ends once nothing else is running, in the order of wake-up times,
 * and the clock jumps to that wake-up time; work run `during` (a DynamoDB call) takes no time at all.
 * Nothing waits for real time, so a run of simulated seconds takes milliseconds.
 */
export class VirtualClock {
  private time: number;
  private sequence = 0;
  private running = 0;
  private checking = false;
  private readonly timers: { at: number; sequence: number; wake: () => void }[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  readonly now = (): number => this.time;

  /** Resolves `ms` of virtual time from now; rejects when `signal` aborts first. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: this.time + Math.max(0, ms), sequence: this.sequence++, wake: resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.timers.indexOf(timer);
          if (index < 0) return;
          this.timers.splice(index, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      this.check();
    });

  /** Runs real work during which virtual time stands still. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.check();
    }
  }

  // Two turns of the event loop: a task woken by a timer starts its next call within them.
  private check(): void {
    if (this.checking) return;
    this.checking = true;
    setImmediate(() =>
      setImmediate(() => {
        this.checking = false;
        if (this.running > 0 || this.timers.length === 0) return;
        this.timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
        const next = this.timers.shift()!;
        this.time = Math.max(this.time, next.at);
        next.wake();
        this.check();
      }),
    );
  }
}
