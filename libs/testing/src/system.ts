import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { ServiceName } from '@crm/contracts';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './free-port';
import { startGateway, type GatewayOptions, type RunningGateway } from './gateway';
import { testInfra } from './infra';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix } from './kafka';
import { TEST_JWT_SECRET, type TokenClaims } from './service';

const ROOT = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

export interface RunningService {
  service: ServiceName;
  url: string;
  /** The last lines the process wrote, for a failing test's message. */
  logs(): string;
  /** Every byte the process wrote to stdout and stderr since it first started; empty unless `captureOutput`. */
  output(): Buffer;
  /** SIGKILL: no shutdown hooks, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface TestSystem {
  services: Record<string, RunningService>;
  prefix: string;
  databases: Record<string, TestDatabase>;
  /** The system's own key vault (VAULT_DATABASE_URL): the data keys of personal data (ADR 0024). */
  vault: TestDatabase;
  /** supertest against one service with a bearer token for the given claims. */
  as(
    claims: TokenClaims,
    service: ServiceName,
  ): { get(url: string): request.Test; post(url: string): request.Test; put(url: string): request.Test; patch(url: string): request.Test };
  /** A bearer token for the claims, for clients other than supertest (a live stream). */
  token(claims: TokenClaims): string;
  /** The gateway in front of the services, when started with `gateway`. */
  gateway?: RunningGateway;
  stop(): Promise<void>;
}

export interface SystemOptions {
  env?: Record<string, string>;
  /** How long a (re)start may take to become ready (default 180 s; a loaded machine needs more). */
  readyTimeoutMs?: number;
  /** Also the gateway (nginx) in front of the services, stopped with them; options other than the upstreams. */
  gateway?: boolean | Omit<GatewayOptions, 'upstreams'>;
  /** Keep all of each service's stdout and stderr in memory (`RunningService.output()`), not only the last lines. */
  captureOutput?: boolean;
  /**
   * Processes per service (default 1): replica r > 1 is `services['<name>-<r>']`, on its own port, same database
   * and consumer groups. `as()` then sends each request to a replica picked at random, as a load balancer would.
   */
  replicas?: number;
}

/** The keys of a service's processes in `TestSystem.services`: `name`, then `name-2`, … */
export const replicaKeys = (system: Pick<TestSystem, 'services'>, name: string): string[] =>
  Object.keys(system.services).filter((k) => k === name || k.startsWith(`${name}-`));

async function waitUntilReady(url: string, child: ChildProcess, logs: () => string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}\n${logs()}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms\n${logs()}`);
}

/**
 * Services as separate processes (`node -r tools/register.js apps/<svc>/src/main.ts`), each on a fresh
 * database with its migrations run by tools/migrate.ts, all on one topic prefix: the system as a client
 * meets it, over HTTP and Kafka only.
 */
export async function startSystem(
  names: ServiceName[],
  options: SystemOptions & { gateway: true | Omit<GatewayOptions, 'upstreams'> },
): Promise<TestSystem & { gateway: RunningGateway }>;
export async function startSystem(names: ServiceName[], options?: SystemOptions): Promise<TestSystem>;
export async function startSystem(names: ServiceName[], options: SystemOptions = {}): Promise<TestSystem> {
  const infra = await testInfra();
  const prefix = uniqueTopicPrefix();
  const databases: Record<string, TestDatabase> = {};
  let vault: TestDatabase | undefined;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  const services: Record<string, RunningService> = {};
  let gateway: RunningGateway | undefined;
  const teardown = async () => {
    await gateway?.stop();
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await Promise.all([...Object.values(databases), ...(vault ? [vault] : [])].map((db) => db.drop()));
    await deleteTopicsWithPrefix(await testKafka(), prefix);
  };
  try {
    vault = await createTestDatabase('vault');
    env.VAULT_DATABASE_URL = vault.url;
    for (const name of names) {
      databases[name] = await createTestDatabase(name);
      env[`${name.toUpperCase()}_DATABASE_URL`] = databases[name].url;
      env[`${name.toUpperCase()}_PORT`] = String(await freePort());
    }
    await run(process.execPath, ['-r', './tools/register.js', 'tools/migrate.ts', ...names], { cwd: ROOT, env });
    for (const name of names) services[name] = launcher(name, env, options.readyTimeoutMs, options.captureOutput);
    for (let r = 2; r <= (options.replicas ?? 1); r++) {
      for (const name of names) {
        const replicaEnv = { ...env, [`${name.toUpperCase()}_PORT`]: String(await freePort()) };
        services[`${name}-${r}`] = launcher(name, replicaEnv, options.readyTimeoutMs, options.captureOutput);
      }
    }
    await Promise.all(Object.values(services).map((s) => s.start()));
    if (options.gateway) {
      const upstreams = Object.fromEntries(names.map((name) => [name, services[name].url]));
      gateway = await startGateway({ ...(options.gateway === true ? {} : options.gateway), upstreams });
    }
  } catch (err) {
    // The caller gets no system to stop: leave no process, database or topic behind (a stray process would
    // also keep jest from exiting).
    await teardown().catch(() => undefined);
    throw err;
  }

  const jwt = new JwtService({ secret: TEST_JWT_SECRET });
  return {
    services,
    prefix,
    databases,
    vault: vault!,
    gateway,
    as(claims, service) {
      const auth = `Bearer ${jwt.sign({ ...claims }, { expiresIn: '1h' })}`;
      const keys = replicaKeys({ services }, service);
      const url = services[keys[Math.floor(Math.random() * keys.length)]].url;
      return {
        get: (path) => request(url).get(path).set('authorization', auth),
        post: (path) => request(url).post(path).set('authorization', auth),
        put: (path) => request(url).put(path).set('authorization', auth),
        patch: (path) => request(url).patch(path).set('authorization', auth),
      };
    },
    token: (claims) => jwt.sign({ ...claims }, { expiresIn: '1h' }),
    stop: teardown,
  };
}

function launcher(service: ServiceName, env: Record<string, string>, readyTimeoutMs?: number, captureOutput = false): RunningService {
  const url = `http://127.0.0.1:${env[`${service.toUpperCase()}_PORT`]}`;
  const lines: string[] = [];
  const output: Buffer[] = [];
  let child: ChildProcess | undefined;
  const logs = () => lines.slice(-80).join('\n');
  const exited = async (signal: NodeJS.Signals, graceMs: number) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = once(proc, 'exit');
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  };
  return {
    service,
    url,
    logs,
    output: () => Buffer.concat(output),
    async start() {
      child = spawn(process.execPath, ['-r', './tools/register.js', join('apps', service, 'src', 'main.ts')], {
        cwd: ROOT,
        env: { ...env, HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => {
        if (captureOutput) output.push(chunk);
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter(Boolean)
            .map((l) => `[${service}] ${l}`),
        );
        if (lines.length > 400) lines.splice(0, lines.length - 400);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      await waitUntilReady(url, child, logs, readyTimeoutMs);
    },
    kill: () => exited('SIGKILL', 0),
    stop: () => exited('SIGTERM', 15_000),
  };
}
