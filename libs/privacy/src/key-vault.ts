import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { MasterKeys } from './master-keys';

/** Where the data keys are read from: the vault, or a map in a unit test. */
export interface KeySource {
  /** The live key of each record, created on first use; absent for a record whose key was destroyed (erased). */
  keysFor(records: readonly { keyId: string; owner: string }[]): Promise<Map<string, Buffer>>;
  /** The live keys among these ids; destroyed and unknown ids are absent. */
  find(keyIds: readonly string[]): Promise<Map<string, Buffer>>;
}

interface KeyRow {
  key_id: string;
  master_id: string | null;
  wrapped: Buffer | null;
}

// A key read a moment ago is reused for this long: a key destroyed elsewhere may still open an event here for
// at most this time, which the erasure handlers close by forgetting the keys they erase (forget()).
const CACHE_MS = 5_000;

/**
 * The data keys of personal data, one per record that carries it (`leads:<id>`, `customers:<contact id>`…),
 * each wrapped with a master key, in a database of their own (`crm_vault`, `VAULT_DATABASE_URL`): the stand-in
 * for a KMS. Erasing a record destroys its key for good and leaves a tombstone, so it is never made again
 * (docs/decisions/0024-personal-data.md).
 */
export class KeyVault implements KeySource {
  private readonly pool: Pool;
  private schema?: Promise<void>;
  private readonly cache = new Map<string, { key: Buffer; until: number }>();

  constructor(
    url: string,
    private readonly masters: MasterKeys,
  ) {
    this.pool = new Pool({ connectionString: url, max: 4, allowExitOnIdle: true });
    // An idle connection that dies (the database restarting) is reported on the pool, which drops it; the next
    // query opens a fresh one. Unheard, that 'error' would end the whole service.
    this.pool.on('error', () => undefined);
  }

  async keysFor(records: readonly { keyId: string; owner: string }[]): Promise<Map<string, Buffer>> {
    const found = this.cached(records.map((r) => r.keyId));
    const missing = [...new Map(records.filter((r) => !found.has(r.keyId)).map((r) => [r.keyId, r])).values()];
    if (!missing.length) return found;
    const fresh = missing.map(({ keyId }) => this.masters.wrap(randomBytes(32), keyId));
    await this.ready();
    // The CTE's SELECT sees the table as it was before the INSERT: a row comes back once, made here or found.
    const rows = await this.query<KeyRow>(
      `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS w(key_id, owner, master_id, wrapped)),
            made AS (INSERT INTO data_keys (key_id, owner, master_id, wrapped) SELECT * FROM wanted ON CONFLICT (key_id) DO NOTHING
                     RETURNING key_id, master_id, wrapped)
       SELECT key_id, master_id, wrapped FROM made
       UNION ALL SELECT k.key_id, k.master_id, k.wrapped FROM data_keys k JOIN wanted USING (key_id)`,
      [missing.map((m) => m.keyId), missing.map((m) => m.owner), fresh.map((f) => f.masterId), fresh.map((f) => f.wrapped)],
    );
    // A key another process inserted meanwhile: our INSERT waited for its commit and skipped it, but the statement's
    // snapshot predates it. A second statement sees it.
    const raced = missing.filter((m) => !rows.some((r) => r.key_id === m.keyId)).map((m) => m.keyId);
    if (raced.length) rows.push(...(await this.query<KeyRow>('SELECT key_id, master_id, wrapped FROM data_keys WHERE key_id = ANY($1)', [raced])));
    return this.remember(rows, found);
  }

  async find(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    const found = this.cached(keyIds);
    const missing = [...new Set(keyIds.filter((id) => !found.has(id)))];
    if (!missing.length) return found;
    await this.ready();
    const rows = await this.query<KeyRow>('SELECT key_id, master_id, wrapped FROM data_keys WHERE key_id = ANY($1)', [missing]);
    return this.remember(rows, found);
  }

  /**
   * Destroys these records' keys (crypto-shredding): what was sealed with them can never be read again. Ids never
   * used get a tombstone too, so nothing is sealed for them later. Returns how many keys were live.
   */
  async destroy(keyIds: readonly string[], owner: string, reason: string): Promise<number> {
    this.forget(keyIds);
    if (!keyIds.length) return 0;
    await this.ready();
    const [{ live }] = await this.query<{ live: string }>(
      `WITH live AS (SELECT key_id FROM data_keys WHERE key_id = ANY($1) AND wrapped IS NOT NULL),
            shred AS (INSERT INTO data_keys AS k (key_id, owner, destroyed_at, destroyed_reason)
                      SELECT unnest($1::text[]), $2, now(), $3
                      ON CONFLICT (key_id) DO UPDATE SET wrapped = NULL, master_id = NULL,
                        destroyed_at = coalesce(k.destroyed_at, now()), destroyed_reason = coalesce(k.destroyed_reason, $3))
       SELECT count(*) AS live FROM live`,
      [[...new Set(keyIds)], owner, reason],
    );
    return Number(live);
  }

  /** Drops these keys from this process's cache: an erasure handler calls it before it scrubs. */
  forget(keyIds: readonly string[]): void {
    for (const id of keyIds) this.cache.delete(id);
  }

  /** Re-wraps every live key still wrapped with an older master key with the current one; returns how many. */
  async rotate(batch = 500): Promise<number> {
    await this.ready();
    let done = 0;
    for (;;) {
      const rows = await this.query<KeyRow>('SELECT key_id, master_id, wrapped FROM data_keys WHERE wrapped IS NOT NULL AND master_id <> $1 LIMIT $2', [
        this.masters.currentId,
        batch,
      ]);
      if (!rows.length) return done;
      for (const row of rows) {
        const { masterId, wrapped } = this.masters.wrap(this.masters.unwrap(row.master_id!, row.wrapped!, row.key_id), row.key_id);
        await this.query('UPDATE data_keys SET master_id = $2, wrapped = $3 WHERE key_id = $1 AND master_id = $4', [
          row.key_id,
          masterId,
          wrapped,
          row.master_id,
        ]);
      }
      done += rows.length;
    }
  }

  /** Live and destroyed keys, and how many are wrapped with each master key. */
  async status(): Promise<{ live: number; destroyed: number; byMaster: Record<string, number> }> {
    await this.ready();
    const rows = await this.query<{ master_id: string | null; n: string }>('SELECT master_id, count(*) AS n FROM data_keys GROUP BY master_id');
    const byMaster: Record<string, number> = {};
    let destroyed = 0;
    for (const r of rows) {
      if (r.master_id === null) destroyed = Number(r.n);
      else byMaster[r.master_id] = Number(r.n);
    }
    return { live: Object.values(byMaster).reduce((a, b) => a + b, 0), destroyed, byMaster };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private cached(keyIds: readonly string[]): Map<string, Buffer> {
    const now = Date.now();
    const found = new Map<string, Buffer>();
    for (const id of keyIds) {
      const hit = this.cache.get(id);
      if (hit && hit.until > now) found.set(id, hit.key);
    }
    return found;
  }

  private remember(rows: KeyRow[], into: Map<string, Buffer>): Map<string, Buffer> {
    const until = Date.now() + CACHE_MS;
    for (const row of rows) {
      if (!row.wrapped || !row.master_id) continue;
      const key = this.masters.unwrap(row.master_id, row.wrapped, row.key_id);
      this.cache.set(row.key_id, { key, until });
      into.set(row.key_id, key);
    }
    return into;
  }

  private async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  /** The vault's one table, made on first use; an advisory lock keeps concurrent first uses from racing. */
  private ready(): Promise<void> {
    return (this.schema ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('crm_vault_schema'))");
        await client.query(`CREATE TABLE IF NOT EXISTS data_keys (
          key_id text PRIMARY KEY,
          owner text NOT NULL,
          master_id text,
          wrapped bytea,
          created_at timestamptz NOT NULL DEFAULT now(),
          destroyed_at timestamptz,
          destroyed_reason text,
          CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL)))`);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        this.schema = undefined;
        throw err;
      } finally {
        client.release();
      }
    })());
  }
}
