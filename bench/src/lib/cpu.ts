import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time per process group, read from /proc/<pid>/stat (utime + stime, children not included). Groups:
 * each service of this run (by its topic prefix in the environment, as the memory sampler finds them),
 * `postgres` (every server process, the backends of other clients included), `kafka` (the broker's JVM),
 * `bench` (this process). A figure is the difference of two snapshots, so processes that start or end
 * between them count only what they burned while both saw them.
 */
export type CpuSnapshot = Map<number, { group: string; ticks: number }>;

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node runs on

function readTicks(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function groupOf(pid: string, prefixes: ReadonlySet<string>): string | undefined {
  try {
    if (Number(pid) === process.pid) return 'bench';
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.startsWith('/usr/lib/postgresql/') || cmd.startsWith('postgres:')) return 'postgres';
    if (cmd.includes('kafka.Kafka') || cmd.includes('kafka-server')) return 'kafka';
    // A service, or one of its tools run as a process of its own (`analytics-rebuild`).
    const m = /apps\/([a-z]+)\/src\/([a-z-]+)\.ts/.exec(cmd);
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    if (!m) {
      // A process of the bench's own (the raw HTTP server): BENCH_ROLE names it.
      const role = /(?:^|\0)BENCH_ROLE=([a-z-]+)/.exec(env)?.[1];
      return role && [...prefixes].some((p) => env.includes(`BENCH_PREFIX=${p}\0`)) ? role : undefined;
    }
    const service = m[2] === 'main' ? m[1] : `${m[1]}-${m[2]}`;
    return [...prefixes].some((p) => env.includes(`KAFKA_TOPIC_PREFIX=${p}\0`)) ? service : undefined;
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(prefixes: ReadonlySet<string>): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const group = groupOf(pid, prefixes);
    if (!group) continue;
    const ticks = readTicks(pid);
    if (ticks !== undefined) snapshot.set(Number(pid), { group, ticks });
  }
  return snapshot;
}

/** CPU milliseconds per group between two snapshots (processes present in both). */
export function cpuMsBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const ms: Record<string, number> = {};
  for (const [pid, { group, ticks }] of after) {
    const start = before.get(pid);
    if (!start || start.group !== group) continue;
    ms[group] = (ms[group] ?? 0) + ((ticks - start.ticks) * 1000) / TICKS_PER_SECOND;
  }
  return ms;
}

/** Resident memory now (VmRSS, MiB) per group. */
export function residentMiB(prefixes: ReadonlySet<string>): Record<string, number> {
  const mib: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const group = groupOf(pid, prefixes);
    if (!group) continue;
    try {
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      mib[group] = Math.round((mib[group] ?? 0) + kb / 1024);
    } catch {
      // ended meanwhile
    }
  }
  return mib;
}

/** `postgres` split: backends serving one of `databases` stay `postgres`, the rest (others' backends, aux) `postgres-other`. */
function withDatabases(snapshot: CpuSnapshot, databases: ReadonlySet<string>): CpuSnapshot {
  for (const [pid, entry] of snapshot) {
    if (entry.group !== 'postgres') continue;
    try {
      // A backend's title: "postgres: 15/main: <user> <database> <client> <state>".
      const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\s\0]+/);
      if (!words.some((w) => databases.has(w))) entry.group = 'postgres-other';
    } catch {
      entry.group = 'postgres-other';
    }
  }
  return snapshot;
}

/**
 * CPU per group over a window, sampled every `everyMs` so that processes which start or end inside it count too
 * (a pool's new connection, pgbench's backends that exit with it): a process first seen after the start counts
 * from zero, one that ended counts up to its last sample. With `databases`, only PostgreSQL backends serving
 * them are `postgres` – the server is shared with other clients.
 */
export class CpuMeter {
  private readonly first = new Map<number, { group: string; ticks: number }>();
  private readonly last = new Map<number, { group: string; ticks: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly prefixes: ReadonlySet<string>,
    private readonly databases?: ReadonlySet<string>,
    private readonly everyMs = 200,
  ) {}

  start(): this {
    for (const [pid, e] of this.sample()) this.first.set(pid, e);
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  /** CPU milliseconds per group since start(). */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    const ms: Record<string, number> = {};
    for (const [pid, { group, ticks }] of this.last) {
      const from = this.first.get(pid);
      const start = from && from.group === group ? from.ticks : 0;
      ms[group] = (ms[group] ?? 0) + ((ticks - start) * 1000) / TICKS_PER_SECOND;
    }
    return ms;
  }

  private sample(): CpuSnapshot {
    const now = cpuSnapshot(this.prefixes);
    if (this.databases) withDatabases(now, this.databases);
    for (const [pid, e] of now) this.last.set(pid, e);
    return now;
  }
}

/** CPU ms of this process's children that have ended and been waited for (a spawned pgbench, once it exits). */
export function endedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND; // cutime, cstime
}

export interface Cpu {
  process: number;
  postgres: number;
  kafka: number;
}

/**
 * Rate of `fn` and CPU ms per 1,000 events: this process (a relay, a raw producer), PostgreSQL (the backends of
 * `database` only, if given), the broker. Sampled at start and stop only: a sampling meter's own /proc reads would
 * count as this process's CPU (over a quarter of it in a relay drain). A backend opened meanwhile counts from zero.
 */
export async function metered(prefixes: ReadonlySet<string>, database: string | undefined, events: number, fn: () => Promise<void>) {
  const meter = new CpuMeter(prefixes, database === undefined ? undefined : new Set([database]), 3_600_000).start();
  const self = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const own = process.cpuUsage(self);
  const cpu = meter.stop();
  const per = (ms: number) => Math.round((ms * 10_000) / events) / 10;
  const perThousand: Cpu = { process: per((own.user + own.system) / 1000), postgres: per(cpu.postgres ?? 0), kafka: per(cpu.kafka ?? 0) };
  return { rate: events / seconds, cpu: perThousand };
}
