import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@crm/contracts';
import {
  createTestDatabase,
  deleteTopicsWithPrefix,
  eventually,
  freePort,
  startGateway,
  startTestIdentityProvider,
  testKafka,
  uniqueTopicPrefix,
  type RunningGateway,
  type TestDatabase,
  type TestIdentityProvider,
} from '@crm/testing';
import { ConsoleHarness } from './console/harness';
import { dashboardSuite } from './console/dashboard.suite';
import { homeSuite } from './console/home.suite';
import { journeySuite } from './console/journey.suite';
import { pipelineSuite } from './console/pipeline.suite';
import { customersSuite } from './console/customers.suite';
import { ordersSuite } from './console/orders.suite';
import { leadsSuite } from './console/leads.suite';
import { signInSuite } from './console/sign-in.suite';
import { singleSignOnSuite } from './console/single-sign-on.suite';
import type { ConsoleSuiteContext } from './console/suite';

// The README's first command, as a newcomer runs it: `npm start -- --demo` in the foreground brings all eight
// services and the gateway up ready, loads the demo data, prints the console's URL and a token that every API
// accepts; the sales console is then used in a real browser (./console); Ctrl-C (SIGINT to the terminal's process
// group) leaves no process behind. Its own ports, databases, topic prefix and run directory keep it apart from
// anything else.
// While developing the console: CONSOLE_URL=http://127.0.0.1:4173 (a Vite preview in front of a running
// `npm start -- --demo`; GATEWAY_URL, default http://127.0.0.1:8080) runs only the console's suites against it.
jest.setTimeout(600_000);
const ATTACHED = process.env.CONSOLE_URL;
const itStarted = ATTACHED ? it.skip : it;

const ROOT = resolve(__dirname, '..', '..', '..');
const SERVICES: ServiceName[] = ['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'];
/** A protected read per service that an admin may call without parameters. */
const PROTECTED: Record<ServiceName, string> = {
  leads: '/api/v1/leads',
  opportunities: '/api/v1/opportunities',
  orders: '/api/v1/orders',
  inventory: '/api/v1/items',
  finance: '/api/v1/receivables',
  analytics: '/api/v1/analytics/funnel',
  customers: '/api/v1/accounts',
  notifications: '/api/v1/notifications',
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start -- --demo (tools/start.sh) in the foreground, and the console on it', () => {
  const runDir = join('tmp', `start-test-${process.pid}`);
  const prefix = uniqueTopicPrefix();
  const databases: TestDatabase[] = [];
  const ports: Partial<Record<ServiceName, number>> = {};
  // The project's mailbox, which start.sh runs when SMTP_URL names no server.
  const mailbox = { smtp: 0, http: 0 };
  let gatewayPort = 0;
  let child: ChildProcess;
  let output = '';
  let harness: ConsoleHarness;
  let idp: TestIdentityProvider | undefined;
  let ssoGateway: RunningGateway | undefined;
  const ctx: ConsoleSuiteContext = {
    harness: () => harness,
    singleSignOn: () => (idp && ssoGateway ? { idp, consoleUrl: ssoGateway.url } : null),
  };

  beforeAll(async () => {
    if (ATTACHED) {
      harness = await ConsoleHarness.open(ATTACHED, process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080');
      return;
    }
    mailbox.smtp = await freePort();
    mailbox.http = await freePort();
    gatewayPort = await freePort();
    // The services trust an identity provider besides their local tokens, as in production with single sign-on.
    idp = await startTestIdentityProvider({ audience: 'crm-api' });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: 'crm-api',
      CRM_RUN_DIR: runDir,
      KAFKA_TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'info',
      MAILBOX_SMTP_PORT: String(mailbox.smtp),
      MAILBOX_HTTP_PORT: String(mailbox.http),
      GATEWAY_PORT: String(gatewayPort),
    };
    delete env.SMTP_URL;
    for (const name of SERVICES) {
      const db = await createTestDatabase(`start_${name}`);
      databases.push(db);
      ports[name] = await freePort();
      env[`${name.toUpperCase()}_DATABASE_URL`] = db.url;
      env[`${name.toUpperCase()}_PORT`] = String(ports[name]);
    }
    // detached: its own process group, like a terminal's foreground job.
    child = spawn('bash', ['tools/start.sh', '--demo'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 540_000;
    while (!output.includes('start: running; press Ctrl-C to stop')) {
      if (child.exitCode !== null) throw new Error(`start.sh exited with ${child.exitCode}:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`start.sh not ready in time:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    harness = await ConsoleHarness.open(`http://127.0.0.1:${gatewayPort}`, `http://127.0.0.1:${gatewayPort}`);
    // A second gateway whose console signs in through the provider (what the gateway image does in production).
    ssoGateway = await startGateway({
      upstreams: Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])),
      console: { OIDC_ISSUER: idp.issuer, CONSOLE_OIDC_CLIENT_ID: 'crm-console' },
    });
  });

  afterAll(async () => {
    await harness?.close();
    await ssoGateway?.stop();
    await idp?.close();
    if (ATTACHED) return;
    if (child?.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await rm(join(ROOT, runDir), { recursive: true, force: true });
    await Promise.all(databases.map((db) => db.drop()));
    await deleteTopicsWithPrefix(await testKafka(), prefix);
  });

  itStarted('prints the console and the gateway first, every service with its API, docs and metrics, and a token every API accepts', async () => {
    const summary = output.slice(output.indexOf('start: all services are ready'));
    expect(summary.split('\n')[1]).toContain(`console: http://127.0.0.1:${gatewayPort}/`);
    expect(summary.split('\n')[2]).toContain(`gateway: http://127.0.0.1:${gatewayPort}`);
    for (const name of SERVICES) {
      expect(output).toContain(`http://127.0.0.1:${ports[name]}/docs`);
      expect(output).toContain(`http://127.0.0.1:${ports[name]}/metrics`);
    }
    expect(output).toContain(`email goes to the local mailbox: http://127.0.0.1:${mailbox.http}`);
    expect((await fetch(`http://127.0.0.1:${mailbox.http}/messages`)).status).toBe(200);
    const token = /export TOKEN=(\S+)/.exec(output)?.[1];
    expect(token).toBeDefined();
    for (const name of SERVICES) {
      const url = `http://127.0.0.1:${ports[name]}${PROTECTED[name]}`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      // The same route through the gateway, the one origin.
      const viaGateway = await fetch(`http://127.0.0.1:${gatewayPort}${PROTECTED[name]}`, { headers: { authorization: `Bearer ${token}` } });
      expect({ name, status: viaGateway.status }).toEqual({ name, status: 200 });
    }
  });

  signInSuite(ctx);
  singleSignOnSuite(ctx);
  dashboardSuite(ctx);
  homeSuite(ctx);
  pipelineSuite(ctx);
  ordersSuite(ctx);
  customersSuite(ctx);
  journeySuite(ctx);
  leadsSuite(ctx);

  itStarted('writes one combined console: a readable line per log entry, prefixed with its service', () => {
    for (const name of SERVICES) {
      const lines = output.split('\n').filter((l) => l.startsWith(`${name} `));
      expect(lines.length).toBeGreaterThan(0);
      // pino's JSON became "<service> HH:MM:SS.mmm LEVEL message"
      for (const line of lines) expect(line).toMatch(new RegExp(`^${name}\\s+\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR|DEBUG|FATAL|TRACE)\\s`));
    }
  });

  itStarted('stops every process it started on Ctrl-C, even when its output pipe closed first (`npm start | tee run.log`)', async () => {
    const pids = await Promise.all(
      (await readdir(join(ROOT, runDir)))
        .filter((f) => f.endsWith('.pid') || f === 'logs.follower')
        .map(async (f) => Number(await readFile(join(ROOT, runDir, f), 'utf8'))),
    );
    expect(pids.length).toBe(SERVICES.length + 3); // the services, the gateway, the mailbox and the log console
    expect(pids.every(alive)).toBe(true);
    const exited = once(child, 'exit');
    // As tee does on Ctrl-C: the reader of start.sh's output goes away, so its next write meets a closed pipe.
    child.stdout?.destroy();
    child.stderr?.destroy();
    process.kill(-child.pid!, 'SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(pids.filter(alive)).toEqual([]);
    // The stop ran to its end (past the services, where it stops a broker it started) and said so in stop.log;
    // a service that had already ended on the SIGINT itself is not listed.
    await eventually(async () => expect(await readFile(join(ROOT, runDir, 'stop.log'), 'utf8')).toContain('start: everything stopped'));
    for (const name of SERVICES) {
      await expect(fetch(`http://127.0.0.1:${ports[name]}/health/live`)).rejects.toThrow();
    }
    await expect(fetch(`http://127.0.0.1:${mailbox.http}/messages`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/api/openapi.json`)).rejects.toThrow();
  });
});
