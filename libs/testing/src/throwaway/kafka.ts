import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * A single-node KRaft broker of its own, from the same Maven Central jars tools/infra.sh caches (run
 * `npm run infra:up` once to fetch them), on its own ports and data dir: stopping or killing it touches
 * nobody else's broker.
 */
export interface ThrowawayKafka {
  brokers: string;
  /** The broker's output, deleted by destroy(). */
  logFile: string;
  /** SIGTERM and wait for a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same data and waits until it serves metadata. */
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

export async function answers(brokers: string, timeoutMs = 2_000): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'chaos-ping',
    brokers: [brokers],
    connectionTimeout: 1_000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const { brokers: found, controller } = await admin.describeCluster();
    return found.length > 0 && controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function startThrowawayKafka({
  port,
  controllerPort,
  startTimeoutMs = 180_000,
}: {
  port: number;
  controllerPort: number;
  startTimeoutMs?: number;
}): Promise<ThrowawayKafka> {
  const libs = kafkaLibs();
  const dir = mkdtempSync(join(tmpdir(), 'crm-chaos-kafka-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const props = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
    ].join('\n'),
  );
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
  const { stdout: id } = await run('java', [...java, 'kafka.tools.StorageTool', 'random-uuid']);
  await run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', id.trim().split('\n').pop()!, '-c', props]);
  const brokers = `127.0.0.1:${port}`;
  const log = createWriteStream(join(dir, 'broker.log'), { flags: 'a' });
  let child: ChildProcess | undefined;

  const exited = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = once(proc, 'exit');
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await done;
    clearTimeout(timer);
  };
  const broker: ThrowawayKafka = {
    brokers,
    logFile: join(dir, 'broker.log'),
    async start() {
      child = spawn('java', [...java, 'kafka.Kafka', props], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      const deadline = Date.now() + startTimeoutMs;
      while (!(await answers(brokers))) {
        if (child.exitCode !== null) throw new Error(`Kafka exited with ${child.exitCode}; log ${dir}/broker.log`);
        if (Date.now() > deadline) throw new Error(`Kafka did not answer on ${brokers} within ${startTimeoutMs / 1000} s; log ${dir}/broker.log`);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    stop: () => exited('SIGTERM'),
    kill: () => exited('SIGKILL'),
    async destroy() {
      await exited('SIGKILL');
      log.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}
