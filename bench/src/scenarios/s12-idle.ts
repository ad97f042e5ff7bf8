import type { TestSystem } from '@crm/testing';
import type { BenchContext } from '../lib/context';
import { sql } from '../lib/context';
import { cpuMsBetween, cpuSnapshot, residentMiB } from '../lib/cpu';
import { round, sleep } from '../lib/stats';

/** The services' own databases' committed transactions (and the shared key vault's), by database name. */
async function commits(serverUrl: string, names: string[]): Promise<Record<string, number>> {
  const rows = await sql<{ datname: string; n: string }>(
    serverUrl,
    'SELECT datname, xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = ANY($1)',
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.datname, Number(r.n)]));
}

/** V8's major collections so far in a service (prom-client's default GC histogram on its /metrics). */
async function majorGcs(url: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*kind="major"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('nodejs_gc_duration_seconds_count'), seconds: value('nodejs_gc_duration_seconds_sum') };
}

/**
 * 12. Idle cost: every service running with nothing to do. CPU ms per second of each service process,
 * PostgreSQL and Kafka over a fixed window after a settle time, the transactions the services' databases
 * committed meanwhile (postgres and kafka CPU include whatever else runs on the machine; the transactions
 * are the services' own share, net of what an unused database commits in the same window), and each process's
 * resident memory.
 */
export async function idle(ctx: BenchContext, system: TestSystem): Promise<void> {
  // Each service runs three major GCs in its first ~4 minutes after boot (100-150 ms of CPU each), then none for
  // the next ten: a window that starts 30 s after boot measured them, not idling. BENCH_IDLE_SECONDS: the window.
  const settleSeconds = ctx.scale.smoke ? 15 : 240;
  const windowSeconds = Number(process.env.BENCH_IDLE_SECONDS) || (ctx.scale.smoke ? 10 : 120);
  const server = await ctx.serverUrl();
  // An empty database no process uses: what it commits meanwhile is other clients' (every running bench's
  // autovacuum stand-in visits every database), to subtract from the services' figures.
  const control = await ctx.database('idle_control');
  const databases: Record<string, string> = { [system.vault.name]: 'vault', [control.name]: 'control' };
  for (const [svc, db] of Object.entries(system.databases)) databases[db.name] = svc;
  const prefixes = new Set([system.prefix]);
  await sleep(settleSeconds * 1000);
  // pg_stat_database is flushed by backends at most once a second (and at idle only when they next go idle).
  const tx0 = await commits(server, Object.keys(databases));
  const names = Object.keys(system.services).sort();
  const gc0 = await Promise.all(names.map((n) => majorGcs(system.services[n].url)));
  const cpu0 = cpuSnapshot(prefixes);
  const t0 = performance.now();
  await sleep(windowSeconds * 1000);
  const cpu1 = cpuSnapshot(prefixes);
  const seconds = (performance.now() - t0) / 1000;
  const gc1 = await Promise.all(names.map((n) => majorGcs(system.services[n].url)));
  const tx1 = await commits(server, Object.keys(databases));
  const memory = residentMiB(prefixes);
  const cpu = cpuMsBetween(cpu0, cpu1);
  const txPerSecond: Record<string, number> = {};
  const rate = (name: string) => ((tx1[name] ?? 0) - (tx0[name] ?? 0)) / seconds;
  const others = rate(control.name);
  for (const [name, svc] of Object.entries(databases)) txPerSecond[svc] = round(svc === 'control' ? others : Math.max(0, rate(name) - others), 2);
  const perSecond = (group: string) => round((cpu[group] ?? 0) / seconds, 2);
  ctx.details.idle = { settleSeconds, windowSeconds: round(seconds, 1), cpuMs: cpu, residentMiB: memory, transactionsPerSecond: txPerSecond };
  const window = `${round(seconds, 1)} s window after ${settleSeconds} s settling; /proc utime+stime at 10 ms resolution`;
  for (const [i, service] of names.entries()) {
    const value = perSecond(service);
    const majors = `${gc1[i].count - gc0[i].count} major GC (${round((gc1[i].seconds - gc0[i].seconds) * 1000, 0)} ms paused) in the window`;
    ctx.row({
      scenario: '12 Idle cost',
      figure: `${service}: CPU at idle (resident ${memory[service] ?? '–'} MiB; its database ${txPerSecond[service]} tx/s)`,
      value,
      unit: 'ms/s',
      goal: '<= 5 ms/s',
      met: value <= 5,
      note: `${window}; ${majors}`,
    });
  }
  const total = Object.entries(txPerSecond).reduce((a, [svc, v]) => a + (svc === 'control' ? 0 : v), 0);
  for (const group of ['postgres', 'kafka']) {
    ctx.row({
      scenario: '12 Idle cost',
      figure: `${group}: CPU during the idle window (resident ${memory[group] ?? '–'} MiB)`,
      value: perSecond(group),
      unit: 'ms/s',
      goal: 'reported',
      met: null,
      note:
        group === 'postgres'
          ? `every server process, other clients' included; the services' databases committed ${round(total, 2)} tx/s (vault ${txPerSecond.vault}), net of the ${txPerSecond.control} tx/s an unused database saw`
          : "the broker's JVM, other clients' load included",
    });
  }
  ctx.idle = Object.fromEntries(
    [...Object.keys(system.services).sort(), 'postgres', 'kafka'].map((g) => [
      g,
      { cpuMsPerSecond: perSecond(g), residentMiB: memory[g] ?? 0, txPerSecond: txPerSecond[g] },
    ]),
  );
}
