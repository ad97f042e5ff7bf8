import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { testInfra } from './infra';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const withDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: (await testInfra()).databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One query on a connection of its own (a service's database seen from a test), its rows as pg gives them. */
export async function queryRows<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file, dropped afterwards. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase((await testInfra()).databaseUrl, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export interface TestDataSource {
  dataSource: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A fresh database with the given migrations run (as production does, never `synchronize`). */
export async function createTestDataSource(opts: {
  prefix?: string;
  migrations: MixedList<Function>;
  entities?: DataSourceOptions['entities'];
}): Promise<TestDataSource> {
  const database = await createTestDatabase(opts.prefix);
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    entities: opts.entities ?? [],
    migrations: opts.migrations,
    migrationsRun: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    database,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
