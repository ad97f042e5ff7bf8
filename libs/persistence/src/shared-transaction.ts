import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

interface Shared {
  dataSource: DataSource;
  runner: QueryRunner;
  open: boolean;
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
    const shared: Shared = { dataSource, runner: m.queryRunner!, open: true };
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
      get: (runner, name) => (name === 'release' ? async () => undefined : Reflect.get(runner, name, runner)),
    });
  };
}
