/** The server URL from DATABASE_URL or the libpq PG* variables, pointed at one database. */
export function databaseUrlFor(database: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.DATABASE_URL
    ? new URL(env.DATABASE_URL)
    : new URL(`postgres://${encodeURIComponent(env.PGUSER ?? 'postgres')}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? 5432}/`);
  if (!env.DATABASE_URL && env.PGPASSWORD) base.password = env.PGPASSWORD;
  base.pathname = `/${database}`;
  return base.toString();
}
