import { sql as query } from './context';

/**
 * Stands in for PostgreSQL's autovacuum where the server has it off (this machine kind ships
 * `autovacuum = off` in conf.d/90-ci.conf). Without it no table the services write is ever analyzed, and
 * the planner picks plans for empty tables: one analytics query took 320 ms instead of 0.8 ms. Production
 * runs with autovacuum on, so the bench applies autovacuum's default thresholds itself: ANALYZE a table once
 * 50 + 10 % of its rows changed, VACUUM it once 50 + 20 % are dead. Each pass is said in the results.
 */
export class AutovacuumStandIn {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  readonly actions = { analyze: 0, vacuum: 0 };

  constructor(
    private readonly adminUrl: string,
    private readonly everyMs = 15_000,
  ) {}

  /** Starts the passes if the server's autovacuum is off; says whether it did. */
  async startIfNeeded(): Promise<boolean> {
    const [{ autovacuum }] = await query<{ autovacuum: string }>(this.adminUrl, 'SHOW autovacuum');
    if (autovacuum === 'on') return false;
    this.timer = setInterval(() => {
      this.running ??= this.pass()
        .catch((err) => console.error(`autovacuum stand-in: ${err}`))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    return true;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    const databases = await query<{ datname: string }>(
      this.adminUrl,
      "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres'",
    );
    for (const { datname } of databases) {
      const url = new URL(this.adminUrl);
      url.pathname = `/${datname}`;
      const due = await query<{ name: string; vacuum: boolean; analyze: boolean }>(
        url.toString(),
        `
        SELECT format('%I.%I', s.schemaname, s.relname) AS name,
               n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) AS "vacuum",
               n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS "analyze"
          FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid`,
      ).catch(dropped);
      for (const t of due.filter((d) => d.vacuum || d.analyze)) {
        await query(url.toString(), `${t.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${t.name}`).catch(dropped);
        if (t.vacuum) this.actions.vacuum += 1;
        else this.actions.analyze += 1;
      }
    }
  }
}

/** A database or table a scenario dropped meanwhile is skipped; anything else is a bug in the stand-in. */
function dropped(err: { code?: string }): never[] {
  // 57P01: another run dropped its database WITH (FORCE) while the stand-in was connected to it.
  if (err.code === '3D000' || err.code === '42P01' || err.code === '57P01') return [];
  throw err;
}
