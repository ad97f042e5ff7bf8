import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of its own (initdb into a temp dir, trust auth, 127.0.0.1 only) for fault injection:
 * pausing or restarting it touches nobody else's databases. Runs as the `postgres` user when we are root,
 * since the server refuses to run as root.
 */
export interface ThrowawayPostgres {
  /** Server URL (database `postgres`); per-service databases are created on it. */
  url: string;
  port: number;
  dir: string;
  /** SIGSTOP the postmaster and every backend: the server accepts TCP but answers nothing. */
  pause(): void;
  resume(): void;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server comes back on the same port. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;

function pgCommand(bin: string, args: string[]): [string, string[]] {
  const exe = join(PG_BIN, bin);
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

export async function startThrowawayPostgres({ port }: { port: number }): Promise<ThrowawayPostgres> {
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`no initdb in ${PG_BIN} (set PG_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'crm-chaos-pg-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  await run(...pgCommand('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']));
  // Durability settings off: the cluster is thrown away, and the machine is shared.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=64MB',
  ].join(' ');
  const pgctl = (...args: string[]) => run(...pgCommand('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', ...args]));
  await pgctl('-o', options, 'start');

  const postmaster = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = (pid: number) =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)])
      .toString()
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
  const signalAll = (signal: NodeJS.Signals, childrenFirst: boolean) => {
    const main = postmaster();
    let kids: number[] = [];
    try {
      kids = children(main);
    } catch {
      // ps exits 1 when there are none
    }
    const order = childrenFirst ? [...kids, main] : [main, ...kids];
    for (const pid of order) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that just exited
      }
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    // Backends first, so none is mid-fork when the postmaster stops; the postmaster first on resume.
    pause: () => signalAll('SIGSTOP', true),
    resume: () => signalAll('SIGCONT', false),
    restart: async () => {
      await pgctl('-m', 'fast', '-o', options, 'restart');
    },
    destroy: async () => {
      try {
        signalAll('SIGCONT', false);
        await pgctl('-m', 'immediate', 'stop');
      } catch {
        // already down
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
