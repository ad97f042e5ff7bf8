import { AuditPurgeJob } from '@crm/audit';
import { ERASED, personalDataVault, personalKeyId } from '@crm/privacy';
import type { TestService } from '@crm/testing';
import { admin, createContact, managerOf, repOf, startCustomers } from '../testing/customers-fixtures';

describe('customers audit trail (real PostgreSQL)', () => {
  let svc: TestService;
  const rep = repOf('aud-east');
  let contactId: string;

  beforeAll(async () => {
    svc = await startCustomers();
    contactId = (await createContact(svc, rep, { name: 'Audit Person', emails: ['audit.person@acme.example'], phones: ['+86 138 0013 8000'] })).id;
    await svc
      .as(rep)
      .patch(`/api/v1/contacts/${contactId}`)
      .set('If-Match', '"1"')
      .set('X-Forwarded-For', '198.51.100.1, 203.0.113.7')
      .set('User-Agent', 'audit-test/1.0')
      .set('X-Correlation-Id', 'aud-corr-1')
      .send({ phones: ['+86 139 0000 1234'], preferredChannel: 'phone' })
      .expect(200);
  });
  afterAll(() => svc?.close());

  const trailOf = (claims: { sub: string; roles: string[]; team?: string }, query: string) => svc.as(claims).get(`/api/v1/audit/customers?${query}`);

  it('records who, when, from where and the changed fields of an edit, and an admin reads the personal values in clear', async () => {
    const { body } = await trailOf(admin, `recordType=contact&recordId=${contactId}`).expect(200);
    expect(body.items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
    const [edit] = body.items;
    expect(edit).toMatchObject({
      actor: rep.sub,
      actorRoles: ['sales_rep'],
      ip: '203.0.113.7', // the gateway's own entry, not the one the client wrote
      userAgent: 'audit-test/1.0',
      correlationId: 'aud-corr-1',
      recordType: 'contact',
      recordId: contactId,
    });
    expect(Date.now() - Date.parse(edit.at)).toBeLessThan(60_000);
    expect(edit.changes).toEqual([
      { field: 'phones', old: ['+86 138 0013 8000'], new: ['+86 139 0000 1234'], personal: true },
      { field: 'preferredChannel', old: null, new: 'phone', personal: false },
    ]);
    // Stored sealed: the database holds neither phone number.
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail WHERE record_id = $1", [contactId]);
    expect(raw).not.toContain('0013 8000');
    expect(raw).not.toContain('0000 1234');
  });

  it('shows a sales rep the personal values masked, and makes a rep name a record', async () => {
    const { body } = await trailOf(rep, `recordId=${contactId}`).expect(200);
    expect(body.items[0].changes).toEqual([
      { field: 'phones', old: ['•••00'], new: ['•••34'], personal: true },
      { field: 'preferredChannel', old: null, new: 'phone', personal: false },
    ]);
    await trailOf(rep, `actor=${rep.sub}`).expect(400);
  });

  it('lists one user changes for a manager, page by page', async () => {
    const first = await trailOf(managerOf('aud-east'), `actor=${rep.sub}&limit=1`).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0].changes[0]).toMatchObject({ field: 'phones', new: ['+86 139 0000 1234'] });
    const second = await trailOf(managerOf('aud-east'), `actor=${rep.sub}&limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items.map((e: { action: string }) => e.action)).toEqual(['created']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses UPDATE and DELETE on the trail in the database', async () => {
    await expect(svc.dataSource.query("UPDATE audit_trail SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(svc.dataSource.query('DELETE FROM audit_trail')).rejects.toThrow(/append-only/);
    const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM audit_trail WHERE record_id = $1', [contactId]);
    expect(n).toBe(2);
  });

  it('purges only the entries past the retention period', async () => {
    await svc.dataSource.query(
      `INSERT INTO audit_trail (at, actor, record_type, record_id, action) VALUES
         (now() - interval '2556 days', 'old', 'contact', 'purge-old', 'updated'),
         (now() - interval '2554 days', 'young', 'contact', 'purge-young', 'updated')`,
    );
    expect(await svc.app.get(AuditPurgeJob).run()).toBe(1);
    const rows: { record_id: string }[] = await svc.dataSource.query("SELECT record_id FROM audit_trail WHERE record_id LIKE 'purge-%' OR record_id = $1", [
      contactId,
    ]);
    expect(rows.map((r) => r.record_id).sort()).toEqual([contactId, contactId, 'purge-young']);
  });

  it('reads the personal values as [erased] once the record key is destroyed, and keeps the rest', async () => {
    await personalDataVault().destroy([personalKeyId('customers', contactId)], 'customers', 'erasure');
    const { body } = await trailOf(admin, `recordType=contact&recordId=${contactId}`).expect(200);
    expect(body.items[0].changes).toEqual([
      { field: 'phones', old: ERASED, new: ERASED, personal: true },
      { field: 'preferredChannel', old: null, new: 'phone', personal: false },
    ]);
    expect(body.items[1].changes).toContainEqual({ field: 'name', old: ERASED, new: ERASED, personal: true });
  });
});
