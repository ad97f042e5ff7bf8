import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ServiceName } from '@crm/contracts';
import { DEFAULT_PORTS } from '@crm/platform';
import { freePort } from './free-port';

const ROOT = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

export interface RunningGateway {
  /** `http://127.0.0.1:<port>`: the one origin of the services behind it. */
  url: string;
  /**
   * The last lines of its error log, then its whole access log: a JSON object per request (time, requestId, method,
   * uri, status, service, upstreamTime, requestTime, bytes), written within a second of the request.
   */
  logs(): string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Each service's base URL (`http://127.0.0.1:3001`); a service left out answers 503 at the gateway. */
  upstreams: Partial<Record<ServiceName, string>>;
  /** CORS_ORIGINS; default the console's local origins (tools/gateway). */
  corsOrigins?: string[];
  /** Default: a free port. */
  port?: number;
  /**
   * Serve the built console (dist/apps/web) at `/`, with these settings of its sign-in (OIDC_ISSUER and
   * CONSOLE_OIDC_CLIENT_ID for single sign-on, DEV_SIGN_IN). Default: no console, `/` leads to the docs.
   */
  console?: Record<string, string>;
}

/**
 * The real gateway (nginx, configured by tools/gateway exactly as `npm start` does) in front of the given
 * services, in its own run directory, on 127.0.0.1. Resolves once nginx answers.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const port = options.port ?? (await freePort());
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const runDir = mkdtempSync(join(ROOT, 'tmp', 'gateway-test-'));
  const dir = join(runDir, 'gateway');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CRM_RUN_DIR: runDir,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
  };
  if (options.corsOrigins) env.CORS_ORIGINS = options.corsOrigins.join(',');
  Object.assign(env, options.console ?? { CONSOLE_DIR: 'none' });
  for (const service of Object.keys(DEFAULT_PORTS) as ServiceName[]) {
    // A service not under test gets an address nothing listens on: its routes answer 503, never another test's service.
    env[`${service.toUpperCase()}_URL`] = options.upstreams[service] ?? `http://127.0.0.1:${await freePort()}`;
  }
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const output: string[] = [];
  const logs = () => [output.join(''), read('error.log').split('\n').slice(-40).join('\n'), read('access.log')].filter(Boolean).join('\n');
  let child: ChildProcess | undefined;
  const stop = async () => {
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, 'exit');
      // SIGTERM is nginx's fast shutdown: an open event stream must not hold it up as a graceful one would.
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await run(process.execPath, ['-r', './tools/register.js', 'tools/gateway/main.ts'], { cwd: ROOT, env });
    child = spawn(nginxBinary(), ['-p', dir, '-c', 'nginx.conf', '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(url, child, logs);
    return { url, logs, stop };
  } catch (err) {
    const detail = logs();
    await stop();
    throw new Error(`${(err as Error).message}\n${detail}`);
  }
}

/** nginx on PATH, else Debian's /usr/sbin/nginx (not on a normal user's PATH); tools/system-packages.sh installs it. */
export function nginxBinary(): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin']) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('nginx is not installed: run tools/system-packages.sh');
}

async function waitUntilAnswering(url: string, child: ChildProcess, logs: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/openapi.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the gateway at ${url} did not answer within ${timeoutMs} ms\n${logs()}`);
}
