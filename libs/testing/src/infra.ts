import { execFileSync } from 'node:child_process';

export interface TestInfra {
  kafkaBrokers: string[];
  /** A server URL; databases are created on it per test file. */
  databaseUrl: string;
}

let started: Promise<TestInfra> | undefined;

const dockerAvailable = () => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
};

const fromEnvironment = (): TestInfra | undefined => {
  const brokers = process.env.KAFKA_BROKERS;
  const pg =
    process.env.DATABASE_URL ??
    (process.env.PGHOST ? `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST}:${process.env.PGPORT ?? 5432}/postgres` : undefined);
  if (!brokers || !pg) return undefined;
  return { kafkaBrokers: brokers.split(',').map((b) => b.trim()), databaseUrl: pg };
};

/**
 * Kafka and PostgreSQL for tests: what the environment names (what `infra:up` started), else
 * containers when a Docker engine exists, else a clear error — never a silently skipped test.
 */
export function testInfra(): Promise<TestInfra> {
  started ??= (async () => {
    const env = fromEnvironment();
    if (env) return env;
    if (!dockerAvailable()) {
      throw new Error('No test infrastructure: set KAFKA_BROKERS and DATABASE_URL (npm run infra:up starts both locally) or provide a Docker engine');
    }
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const [pg, kafka] = await Promise.all([
      new PostgreSqlContainer('postgres:15').start(),
      new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
    ]);
    return { kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`], databaseUrl: pg.getConnectionUri() };
  })();
  return started;
}
