import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

interface Shared {
  dataSource: DataSource;
  runner: QueryRunner;
  open: boolean;
  /** The last query sent on the shared connection: the next one waits for it. */
  last: Promise<unknown>;
}

const current = new AsyncLocalStorage<Shared>();
const hooked = new WeakSet<DataSource>();

/**
 * Runs `work` in one transaction that everything it calls on `dataSource` shares: `inTransaction`,
 * `dataSource.transaction` (as a savepoint), repositories and plain queries, reads included. The idempotency
 * interceptor runs a handler this way so that its effect and its stored answer commit together or not at
 * all, without the handler knowing. Work started inside but still running after the commit gets fresh
 * connections again.
 */
export async function runInSharedTransaction<T>(dataSource: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  shareThroughQueryRunners(dataSource);
  return dataSource.transaction(async (m) => {
    const shared: Shared = { dataSource, runner: m.queryRunner!, open: true, last: Promise.resolve() };
    try {
      return await current.run(shared, () => work(m));
    } finally {
      shared.open = false;
    }
  });
}

/**
 * TypeORM asks `createQueryRunner()` for a connection whenever it has no transaction at hand; inside a shared
 * transaction that becomes the shared one, whose release is left to its owner.
 */
function shareThroughQueryRunners(dataSource: DataSource): void {
  if (hooked.has(dataSource)) return;
  hooked.add(dataSource);
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const shared = current.getStore();
    if (!shared?.open || shared.dataSource !== dataSource) return create(mode);
    return new Proxy(shared.runner, {
      get: (runner, name) => {
        if (name === 'release') return async () => undefined;
        // Reads a handler runs side by side (Promise.all) would otherwise reach the one connection at once, which
        // pg only queues (and deprecates): they go one after another, in the order they were asked.
        if (name === 'query') {
          return (...args: Parameters<QueryRunner['query']>) => {
            const run = shared.last.then(() => runner.query(...args));
            shared.last = run.catch(() => undefined);
            return run;
          };
        }
        return Reflect.get(runner, name, runner);
      },
    });
  };
}
