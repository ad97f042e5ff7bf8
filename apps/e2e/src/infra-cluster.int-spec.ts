import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { eventually } from '@crm/testing';
import { createServer } from 'node:net';

const ROOT = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);
const isFree = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

// `infra:up -- --brokers 3` on its own CRM_HOME and ports (never the shared broker), with the cached jars.
// PostgreSQL is pointed at a closed port, so `up` stops after Kafka: this test is about the brokers only.
jest.setTimeout(240_000);

describe('tools/infra.sh with three brokers', () => {
  const home = mkdtempSync(join(tmpdir(), 'crm-infra-cluster-'));
  let base = 0;
  const env = () => ({
    ...process.env,
    CRM_HOME: home,
    KAFKA_PORT_BASE: String(base),
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    KAFKA_BROKERS: '',
  });
  const infra = (args: string[], extra: Record<string, string> = {}) =>
    run('bash', ['tools/infra.sh', ...args], { cwd: ROOT, env: { ...env(), ...extra } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  beforeAll(async () => {
    const cache = join(homedir(), '.cache', 'sales-crm');
    const version = readdirSync(cache).find((d) => d.startsWith('kafka-'))!;
    mkdirSync(join(home, version));
    symlinkSync(join(cache, version, 'libs'), join(home, version, 'libs'));
    // Six consecutive free ports: brokers base, base+2, base+4; controllers the odd ones.
    for (let p = 20_000 + Math.floor(Math.random() * 20_000); !base; p += 6) {
      const free = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => isFree(p + i)));
      if (free.every(Boolean)) base = p;
    }
  });
  afterAll(async () => {
    await infra(['down']);
    rmSync(home, { recursive: true, force: true });
  });

  it('starts three voters with RF 3 / min ISR 2 defaults, refuses a mode switch, shows each broker, stops them all', async () => {
    const up = await infra(['up', '--brokers', '3']);
    const brokers = [0, 2, 4].map((d) => `127.0.0.1:${base + d}`).join(',');
    expect(up.out).toContain(`export KAFKA_BROKERS=${brokers}`);

    const admin = new Kafka({ clientId: 'infra-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      // No replication factor given: the broker's defaults decide. Metadata reaches every broker a moment later.
      await admin.createTopics({ topics: [{ topic: 'defaults.v1' }] });
      await eventually(async () => {
        const [meta] = (await admin.fetchTopicMetadata({ topics: ['defaults.v1'] })).topics;
        expect(meta.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: 'defaults.v1', configNames: ['min.insync.replicas'] }],
        });
        expect(resources[0].configEntries[0].configValue).toBe('2');
      });
    } finally {
      await admin.disconnect();
    }

    const single = await infra(['up'], { CRM_KAFKA_BROKERS: '1' });
    expect(single.code).not.toBe(0);
    expect(single.out).toContain('a 3-node Kafka started by this script is running; stop it first');

    const status = await infra(['status']);
    for (const id of [1, 2, 3]) expect(status.out).toContain(`broker ${id}  127.0.0.1:${base + 2 * (id - 1)}  up`);
    expect(status.out).toContain('(active controller)');
    expect(status.out).toMatch(/defaults\.v1\[0\] {2}leader \d {2}replicas \d,\d,\d {2}isr \d,\d,\d/);

    const down = await infra(['down']);
    expect(down.out.match(/stopped broker node-\d/g)).toHaveLength(3);
    expect((await infra(['status'])).out).toContain('kafka:    DOWN');
  });
});
