import * as hdr from 'hdr-histogram-js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Latencies in milliseconds, kept in an HDR histogram at microsecond resolution (3 significant digits). */
export class Latencies {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10 * 60 * 1e6, numberOfSignificantValueDigits: 3 });
  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }
  get count(): number {
    return this.h.totalCount;
  }
  at(p: number): number {
    return this.h.getValueAtPercentile(p) / 1000;
  }
  summary(): Percentiles {
    const r = (v: number) => Math.round(v * 100) / 100;
    return { count: this.count, p50: r(this.at(50)), p95: r(this.at(95)), p99: r(this.at(99)), max: r(this.h.maxValue / 1000) };
  }
}

/**
 * Open loop: fires `fire(i, intendedAt)` at a fixed rate whatever the answers do, so a slow system builds a
 * queue instead of slowing the generator (a closed loop hides queueing). Latency is measured by the caller
 * from `intendedAt`, the moment the request was due, so time spent behind the generator counts too.
 */
export async function openLoop(
  rate: number,
  durationMs: number,
  fire: (i: number, intendedAt: number) => Promise<unknown>,
): Promise<{ offered: number; failures: number; pending: Promise<unknown>[] }> {
  const start = performance.now();
  const total = Math.floor((rate * durationMs) / 1000);
  const pending: Promise<unknown>[] = [];
  let failures = 0;
  for (let i = 0; i < total;) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const intendedAt = start + (i * 1000) / rate;
      pending.push(fire(i, intendedAt).catch(() => void failures++));
    }
    const next = start + (i * 1000) / rate;
    await sleep(Math.max(0, Math.min(5, next - performance.now())));
  }
  return {
    offered: total,
    get failures() {
      return failures;
    },
    pending,
  };
}

/** Runs `fn` `reps` times after `warmups` unrecorded runs; the figure is the median. */
export async function repeated<T>(reps: number, warmups: number, fn: (rep: number) => Promise<T>, pick: (t: T) => number) {
  for (let i = 0; i < warmups; i++) await fn(-1 - i);
  const runs: T[] = [];
  for (let i = 0; i < reps; i++) runs.push(await fn(i));
  const values = runs.map(pick);
  const m = median(values);
  return { median: m, values, runs, medianRun: runs[values.indexOf([...values].sort((a, b) => a - b)[values.length >> 1])] };
}

export const round = (v: number, digits = 0) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);

/** Retries a Kafka call while the broker answers with a retriable error (a topic created a moment ago is not in every metadata yet). */
export async function retriable<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as { retriable?: boolean; cause?: { retriable?: boolean }; message?: string };
      const again = e.retriable || e.cause?.retriable || /does not host this topic-partition|leader/i.test(e.message ?? '');
      if (!again || i >= attempts) throw err;
      await sleep(500);
    }
  }
}

/** A latency figure as the median of repetitions (ms); `failures`: answers other than 200, over all repetitions. */
export interface Measured {
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  failures: number;
  firstFailure?: string;
}

/**
 * GETs fired open loop at `rate` for the scale's step, `reps` times; the figures are the medians of the
 * repetitions. A failed answer (a 503 from a request that ran too long) is timed too and counted, not thrown:
 * the figure then says how slow it was.
 */
export async function measureGets(
  scale: { reps: number; stepSeconds: number },
  rate: number,
  url: (i: number) => string,
  headers: Record<string, string>,
): Promise<Measured> {
  const runs: Measured[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  for (let rep = 0; rep < scale.reps; rep++) {
    const lat = new Latencies();
    const load = await openLoop(rate, scale.stepSeconds * 1000, async (i, due) => {
      const u = url(i + rep * 100_000);
      const res = await fetch(u, { headers });
      const body = await res.text();
      lat.record(performance.now() - due);
      if (res.status !== 200) {
        failures++;
        firstFailure ??= `${u}: ${res.status} ${body.slice(0, 200)}`;
      }
    });
    await Promise.all(load.pending);
    if (load.failures) throw new Error(`${load.failures} of ${load.offered} requests got no answer`);
    const s = lat.summary();
    runs.push({ p50: s.p50, p95: s.p95, p99: s.p99, requests: s.count, failures: 0 });
  }
  const m = (k: 'p50' | 'p95' | 'p99' | 'requests') => median(runs.map((r) => r[k]));
  return { p50: m('p50'), p95: m('p95'), p99: m('p99'), requests: m('requests'), failures, firstFailure };
}
