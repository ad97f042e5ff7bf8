import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KAFKA_IMAGE, POSTGRES_IMAGE } from './infra';

const ROOT = resolve(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

// One Kafka everywhere: the broker `infra:up` runs from Maven Central, the compose file's and the container
// tests start where a Docker engine exists are the same Apache Kafka release in KRaft mode.
describe('the Kafka the tests run on', () => {
  const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('tools/kafka/pom.xml'))?.[1];
  const composeImage = (service: string) => new RegExp(`^  ${service}:\\n    image: (\\S+)`, 'm').exec(read('docker-compose.yml'))?.[1];

  it('is Apache Kafka at the version tools/kafka/pom.xml fetches, in every path', () => {
    expect(kafkaVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(KAFKA_IMAGE).toBe(`apache/kafka:${kafkaVersion}`);
    expect(composeImage('kafka')).toBe(KAFKA_IMAGE);
  });

  it('runs beside the PostgreSQL image the compose file runs', () => {
    expect(composeImage('postgres')).toBe(POSTGRES_IMAGE);
  });
});
