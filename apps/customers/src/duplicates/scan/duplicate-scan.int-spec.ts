import type { EntityManager } from 'typeorm';
import type { TestService } from '@crm/testing';
import type { AccountRow } from '../../accounts/account.domain';
import { admin, createContact, managerOf, repOf, startCustomers } from '../../testing/customers-fixtures';
import { generateAccounts } from '../../testing/duplicate-seed';

const TEAMS = ['scan-t1', 'scan-t2'];

async function insertAccounts(m: EntityManager, rows: AccountRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const col = <K extends keyof AccountRow>(k: K) => chunk.map((r) => r[k]);
    await m.query(
      `INSERT INTO accounts (id, name, domains, team, normalized_name, name_bigrams, search_text, created_by)
       SELECT id, name, string_to_array(domains, ' '), team, normalized_name, COALESCE(string_to_array(NULLIF(bigrams, ''), ' '), '{}'), search_text, 'seed'
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS t(id, name, domains, team, normalized_name, bigrams, search_text)`,
      [
        col('id'),
        col('name'),
        chunk.map((r) => r.domains.join(' ')),
        col('team'),
        col('normalizedName'),
        chunk.map((r) => r.nameBigrams.join(' ')),
        col('searchText'),
      ],
    );
  }
}

describe('duplicate scan (real PostgreSQL)', () => {
  let svc: TestService;
  const seeded = generateAccounts({ total: 10_000, pairs: 50, seed: 17, teams: TEAMS });
  const key = (p: { firstId: string; secondId: string }) => `${p.firstId}:${p.secondId}`;
  const stored = async (entity: string) =>
    (await svc.dataSource.query(`SELECT first_id AS "firstId", second_id AS "secondId", status, fields FROM duplicate_candidates WHERE entity = $1`, [
      entity,
    ])) as {
      firstId: string;
      secondId: string;
      status: string;
      fields: string[];
    }[];

  beforeAll(async () => {
    svc = await startCustomers();
    await svc.dataSource.transaction((m) => insertAccounts(m, seeded.rows));
  });
  afterAll(() => svc?.close());

  it('finds exactly the 50 deliberate pairs among 10,000 accounts (shared domain, similar Latin name, shared Chinese substring)', async () => {
    expect(seeded.rows).toHaveLength(10_000);
    expect(new Set(seeded.expected.map((p) => p.kind))).toEqual(new Set(['domain', 'latin', 'chinese']));
    await svc.as(repOf('scan-t1')).post('/api/v1/duplicate-scans').expect(403);
    const started = Date.now();
    const res = await svc.as(admin).post('/api/v1/duplicate-scans').expect(200);
    console.log(`duplicate scan of 10,000 accounts: ${Date.now() - started} ms (scan itself ${res.body.tookMs} ms)`);
    expect(res.body).toMatchObject({ account: { pairs: 50, new: 50 }, contact: { pairs: 0, new: 0 } });

    const found = await stored('account');
    expect(found.map(key).sort()).toEqual(seeded.expected.map(key).sort());
    const fieldsOf = new Map(found.map((p) => [key(p), p.fields]));
    for (const p of seeded.expected) expect(fieldsOf.get(key(p))).toEqual([p.kind === 'domain' ? 'domain' : 'name']);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('adds nothing when run again, keeps a dismissed pair dismissed, and a merge marks its pair merged', async () => {
    const manager = managerOf('scan-t1');
    const mine = (await svc.as(manager).get('/api/v1/duplicate-candidates?entity=account&status=open&limit=200').expect(200)).body;
    expect(mine.items).toHaveLength(25);
    expect(mine.items[0]).toMatchObject({ status: 'open', first: { name: expect.any(String) }, second: { name: expect.any(String) } });
    const [dismissed, merged] = mine.items as { id: string; firstId: string; secondId: string }[];
    await svc.as(managerOf('scan-t2')).post(`/api/v1/duplicate-candidates/${dismissed.id}/dismiss`).expect(404);
    await svc.as(manager).post(`/api/v1/duplicate-candidates/${dismissed.id}/dismiss`).expect(200);
    await svc.as(manager).post(`/api/v1/accounts/${merged.firstId}/merge`).set('If-Match', '"1"').send({ mergedId: merged.secondId }).expect(201);

    const again = await svc.as(manager).post('/api/v1/duplicate-scans').expect(200);
    expect(again.body.account).toEqual({ pairs: 49, new: 0 });
    const status = new Map((await stored('account')).map((p) => [key(p), p.status]));
    expect(status.size).toBe(50);
    expect(status.get(key(dismissed))).toBe('dismissed');
    expect(status.get(key(merged))).toBe('merged');
    expect((await svc.as(admin).get('/api/v1/duplicate-candidates?status=dismissed').expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([
      dismissed.id,
    ]);
    const metrics = await svc.as(admin).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/crm_customers_duplicate_pairs_found_total\{[^}]*entity="account"[^}]*\} 50/);
  });

  it('finds contacts sharing an email or a phone, however it was typed', async () => {
    const rep = repOf('scan-t1');
    const a = await createContact(svc, rep, { name: 'Sun Yi', phones: ['+86 139 1111 2222'] });
    const b = await createContact(svc, rep, { name: 'Yi Sun', phones: ['+8613911112222'] });
    await createContact(svc, rep, { name: 'Other Person', phones: ['+86 139 1111 3333'] });
    const res = await svc.as(admin).post('/api/v1/duplicate-scans').expect(200);
    expect(res.body.contact).toEqual({ pairs: 1, new: 1 });
    expect(await stored('contact')).toEqual([
      expect.objectContaining({ ...[a.id, b.id].sort().reduce((o, id, i) => ({ ...o, [i ? 'secondId' : 'firstId']: id }), {}), fields: ['phone'] }),
    ]);
  });
});
