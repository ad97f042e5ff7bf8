import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../free-port';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..', '..');

/** One KRaft node (broker and controller in one JVM) of a throwaway cluster. */
export interface ThrowawayKafkaNode {
  id: number;
  /** Its broker listener, host:port. */
  address: string;
  logFile: string;
  /** SIGTERM and wait for a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same data and waits until it serves metadata. */
  start(): Promise<void>;
  running(): boolean;
}

/**
 * A KRaft cluster of its own (one node, or three combined broker+controller nodes), from the same Maven Central
 * jars tools/infra.sh caches (run `npm run infra:up` once to fetch them), on its own ports and data dirs:
 * stopping or killing it touches nobody else's broker.
 */
export interface ThrowawayKafka {
  /** Bootstrap list, comma-separated. */
  brokers: string;
  /** The first node's output, deleted by destroy(). */
  logFile: string;
  nodes: ThrowawayKafkaNode[];
  /** Every node: SIGTERM and wait for a clean shutdown. */
  stop(): Promise<void>;
  /** Every node: SIGKILL. */
  kill(): Promise<void>;
  /** Every stopped node again, until the cluster serves metadata. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function kafkaLibs(): string {
  const version = /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(join(ROOT, 'tools', 'kafka', 'pom.xml'), 'utf8'))?.[1];
  const home = process.env.CRM_HOME ?? join(homedir(), '.cache', 'sales-crm');
  const libs = join(home, `kafka-${version}`, 'libs');
  if (!existsSync(join(libs, '.pom-sha256'))) throw new Error(`no Kafka jars in ${libs}: run npm run infra:up once to fetch them`);
  return libs;
}

/** A broker serves metadata with an active controller and (at least) `expectBrokers` registered brokers. */
export async function answers(brokers: string, timeoutMs = 2_000, expectBrokers = 1): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'chaos-ping',
    brokers: brokers.split(','),
    connectionTimeout: 1_000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const { brokers: found, controller } = await admin.describeCluster();
    return found.length >= expectBrokers && controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Partitions (of topics starting with `prefix`, or all) whose in-sync replicas are fewer than their replicas. */
export async function underReplicated(brokers: string, prefix = ''): Promise<number> {
  const admin = new Kafka({ clientId: 'chaos-isr', brokers: brokers.split(','), retry: { retries: 1 }, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    return meta.reduce((n, t) => n + t.partitions.filter((p) => p.isr.length < p.replicas.length).length, 0);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The broker settings of a single node, or of a cluster where one node may be down (copies 3, writes need 2). */
function brokerDefaults(nodes: number): string[] {
  const rf = Math.min(3, nodes);
  const isr = Math.max(1, rf - 1);
  return [
    'num.partitions=3',
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${isr}`,
    `offsets.topic.replication.factor=${rf}`,
    'offsets.topic.num.partitions=3',
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${isr}`,
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${isr}`,
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
  ];
}

export async function startThrowawayKafka({
  port,
  controllerPort,
  nodes: count = 1,
  startTimeoutMs = 180_000,
}: {
  /** The first node's broker and controller ports; further nodes take free ports. */
  port: number;
  controllerPort: number;
  /** 1 (default) or 3: combined broker+controller nodes, all voters. */
  nodes?: 1 | 3;
  startTimeoutMs?: number;
}): Promise<ThrowawayKafka> {
  const libs = kafkaLibs();
  const dir = mkdtempSync(join(tmpdir(), 'crm-chaos-kafka-'));
  const ports = [{ port, controllerPort }];
  while (ports.length < count) ports.push({ port: await freePort(), controllerPort: await freePort() });
  const voters = ports.map((p, i) => `${i + 1}@127.0.0.1:${p.controllerPort}`).join(',');
  const brokers = ports.map((p) => `127.0.0.1:${p.port}`).join(',');
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = STDOUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.out.ref = STDOUT',
    ].join('\n'),
  );
  const java = ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j2.configurationFile=${log4j}`, '-cp', `${libs}/*`];
  const { stdout: uuid } = await run('java', [...java, 'kafka.tools.StorageTool', 'random-uuid']);
  const clusterId = uuid.trim().split('\n').pop()!;
  const logs: WriteStream[] = [];

  const node = async (i: number): Promise<ThrowawayKafkaNode> => {
    const id = i + 1;
    const home = count === 1 ? dir : join(dir, `node-${id}`);
    const data = join(home, 'data');
    mkdirSync(data, { recursive: true });
    const props = join(home, 'server.properties');
    const address = `127.0.0.1:${ports[i].port}`;
    writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        `node.id=${id}`,
        `controller.quorum.voters=${voters}`,
        `listeners=PLAINTEXT://${address},CONTROLLER://127.0.0.1:${ports[i].controllerPort}`,
        `advertised.listeners=PLAINTEXT://${address}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${data}`,
        ...brokerDefaults(count),
      ].join('\n'),
    );
    await run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props]);
    const logFile = join(home, 'broker.log');
    const log = createWriteStream(logFile, { flags: 'a' });
    logs.push(log);
    let child: ChildProcess | undefined;
    const running = () => !!child && child.exitCode === null && child.signalCode === null;
    const exited = async (signal: NodeJS.Signals) => {
      const proc = child;
      if (!proc || !running()) return;
      const done = once(proc, 'exit');
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    };
    return {
      id,
      address,
      logFile,
      running,
      stop: () => exited('SIGTERM'),
      kill: () => exited('SIGKILL'),
      async start() {
        if (running()) return;
        const proc = spawn('java', [...java, 'kafka.Kafka', props], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
        child = proc;
        proc.stdout?.pipe(log, { end: false });
        proc.stderr?.pipe(log, { end: false });
        const deadline = Date.now() + startTimeoutMs;
        // Asked alone, so the answer is this node's; a restarted node of a running cluster answers at once.
        while (!(await answers(address))) {
          if (proc.exitCode !== null) throw new Error(`Kafka node ${id} exited with ${proc.exitCode}; log ${logFile}`);
          if (Date.now() > deadline) throw new Error(`Kafka node ${id} did not answer on ${address} within ${startTimeoutMs / 1000} s; log ${logFile}`);
          await sleep(300);
        }
      },
    };
  };
  const nodes = await Promise.all(ports.map((_, i) => node(i)));
  const cluster: ThrowawayKafka = {
    brokers,
    logFile: nodes[0].logFile,
    nodes,
    async start() {
      // In parallel: a cluster's first node only answers once a quorum of voters is up.
      await Promise.all(nodes.map((n) => n.start()));
      const deadline = Date.now() + startTimeoutMs;
      while (!(await answers(brokers, 2_000, count))) {
        if (Date.now() > deadline) throw new Error(`Kafka cluster ${brokers} not all registered within ${startTimeoutMs / 1000} s; logs in ${dir}`);
        await sleep(300);
      }
    },
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
    kill: async () => void (await Promise.all(nodes.map((n) => n.kill()))),
    async destroy() {
      await Promise.all(nodes.map((n) => n.kill()));
      for (const log of logs) log.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}
