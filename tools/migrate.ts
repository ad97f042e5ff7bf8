// Runs every service's TypeORM migrations (or those named: `migrate.ts orders finance`).
// A PostgreSQL advisory lock makes concurrent runs (several deploys, several replicas) wait in turn.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { ServiceName } from '@crm/contracts';
import { DEFAULT_PORTS, loadServiceConfig } from '@crm/platform';

const MIGRATION_LOCK = 7_340_002;

async function migrate(service: ServiceName): Promise<void> {
  const { migrations } = await import(`../apps/${service}/src/migrations`);
  const dataSource = new DataSource({ type: 'postgres', url: loadServiceConfig(service).databaseUrl, migrations });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(`${service}: ${applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'up to date'}`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

async function main() {
  const all = Object.keys(DEFAULT_PORTS) as ServiceName[];
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !all.includes(s as ServiceName));
  if (unknown.length) throw new Error(`unknown service(s): ${unknown.join(', ')}`);
  for (const service of wanted.length ? (wanted as ServiceName[]) : all) await migrate(service);
}

main().catch((err) => {
  console.error(`migrate: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
