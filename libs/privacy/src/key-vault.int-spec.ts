import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, recordUnheardErrors, type TestDatabase } from '@crm/testing';
import { KeyVault } from './key-vault';
import { MasterKeys } from './master-keys';

const masterKey = () => randomBytes(32).toString('base64');

describe('the key vault (real PostgreSQL)', () => {
  let db: TestDatabase;
  const k1 = masterKey();
  const k2 = masterKey();
  let vault: KeyVault;

  beforeAll(async () => {
    db = await createTestDatabase('vault');
    vault = new KeyVault(db.url, new MasterKeys(`k1:${k1}`));
  });
  afterAll(async () => {
    await vault.close();
    await db.drop();
  });

  const stored = async (keyId: string) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query('SELECT master_id, wrapped, destroyed_at FROM data_keys WHERE key_id = $1', [keyId])).rows[0];
    } finally {
      await client.end();
    }
  };

  // A database restart ends every idle connection of the pool; in the chaos run that took four services down.
  it('outlives its idle connections being terminated, and opens fresh ones for the next read', async () => {
    const unheard = recordUnheardErrors(Pool);
    try {
      const id = `leads:${randomUUID()}`;
      const key = (await vault.keysFor([{ keyId: id, owner: 'leads' }])).get(id);
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      const { rows } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await admin.end();
      expect(rows.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the terminated sessions' errors arrive
      expect(unheard.messages).toEqual([]);
      vault.forget([id]);
      expect((await vault.find([id])).get(id)).toEqual(key);
    } finally {
      unheard.restore();
    }
  });

  it('makes one key per record, also when two processes ask for it at once, and stores it wrapped', async () => {
    const id = `leads:${randomUUID()}`;
    const other = new KeyVault(db.url, new MasterKeys(`k1:${k1}`));
    const [a, b] = await Promise.all([vault.keysFor([{ keyId: id, owner: 'leads' }]), other.keysFor([{ keyId: id, owner: 'leads' }])]);
    await other.close();
    expect(a.get(id)).toEqual(b.get(id));
    expect(a.get(id)).toHaveLength(32);
    const row = await stored(id);
    expect(row.master_id).toBe('k1');
    expect(Buffer.compare(row.wrapped, a.get(id)!)).not.toBe(0);
  });

  it('destroys a key for good: not found again, never made again, and a tombstone for an id never used', async () => {
    const used = `customers:${randomUUID()}`;
    const unused = `leads:${randomUUID()}`;
    await vault.keysFor([{ keyId: used, owner: 'customers' }]);
    expect(await vault.destroy([used, unused], 'customers', 'erasure')).toBe(1);
    // A second vault has no cache: what it reads is what the database holds.
    const fresh = new KeyVault(db.url, new MasterKeys(`k1:${k1}`));
    expect((await fresh.find([used, unused])).size).toBe(0);
    expect(
      (
        await fresh.keysFor([
          { keyId: used, owner: 'customers' },
          { keyId: unused, owner: 'leads' },
        ])
      ).size,
    ).toBe(0);
    await fresh.close();
    expect(await stored(used)).toMatchObject({ wrapped: null, master_id: null, destroyed_at: expect.any(Date) });
    expect(await vault.destroy([used], 'customers', 'erasure')).toBe(0);
  });

  it('re-wraps every live key under a new master key, after which the old one can go', async () => {
    const id = `orders:${randomUUID()}`;
    const key = (await vault.keysFor([{ keyId: id, owner: 'orders' }])).get(id);
    const rotating = new KeyVault(db.url, new MasterKeys(`k2:${k2},k1:${k1}`));
    expect(await rotating.rotate()).toBeGreaterThanOrEqual(1);
    expect((await rotating.status()).byMaster).toEqual({ k2: expect.any(Number) });
    await rotating.close();
    const onlyNew = new KeyVault(db.url, new MasterKeys(`k2:${k2}`));
    expect((await onlyNew.find([id])).get(id)).toEqual(key);
    await onlyNew.close();
  });
});
