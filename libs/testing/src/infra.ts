import { execFileSync } from 'node:child_process';
import { freePort } from './free-port';

export interface TestInfra {
  kafkaBrokers: string[];
  /** A server URL; databases are created on it per test file. */
  databaseUrl: string;
}

/** The images docker-compose.yml runs: the broker is the Apache Kafka release tools/kafka/pom.xml fetches, in KRaft mode. */
export const KAFKA_IMAGE = 'apache/kafka:4.1.1';
export const POSTGRES_IMAGE = 'postgres:15';

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
 * One KRaft node configured as docker-compose.yml's. The host port is chosen before the start and mapped to
 * the same port inside, so the listener can advertise the address clients use.
 */
async function startKafkaContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freePort();
  await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      CLUSTER_ID: 'KxL6DhIjS5W-Vn_-wK-JOw',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: `EXTERNAL://:${port},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `EXTERNAL://127.0.0.1:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'EXTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return `127.0.0.1:${port}`;
}

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
    const [pg, kafkaBroker] = await Promise.all([new PostgreSqlContainer(POSTGRES_IMAGE).start(), startKafkaContainer()]);
    return { kafkaBrokers: [kafkaBroker], databaseUrl: pg.getConnectionUri() };
  })();
  return started;
}
