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
    const service = /apps\/([a-z]+)\/src\/main\.ts/.exec(cmd)?.[1];
    if (!service) return undefined;
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
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

/**
 * CPU ticks so far of the PostgreSQL backends serving one database (the server names it in each backend's
 * command line), by pid: unlike the `postgres` group, other clients of the shared server are left out.
 */
export function databaseBackendTicks(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:') || !cmd.includes(` ${database} `)) continue;
      const ticks = readTicks(pid);
      if (ticks !== undefined) out.set(Number(pid), ticks);
    } catch {
      // the process ended between listing and reading
    }
  }
  return out;
}

/** CPU ms between two readings of databaseBackendTicks; a backend that started in between counts from zero. */
export function backendMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
