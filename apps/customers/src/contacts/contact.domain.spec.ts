import { decideCreateContact, decideEditContact } from './contact.domain';

const A = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const B = '2a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const known = new Map([
  [A, 'Acme Robotics'],
  [B, '上海贝塔机械'],
]);
const ctx = { id: '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b', by: 'rep-1', now: new Date('2026-03-01T02:00:00Z') };
const owner = { ownerRepId: null, team: null };

describe('contact decisions', () => {
  it('normalises emails and phones for the rules and puts the companies in the search text', () => {
    const { changes, events } = decideCreateContact(
      { name: '李伟', emails: ['Li@Acme.example'], phones: ['+86 138-0013 8000'], accountIds: [A] },
      owner,
      known,
      ctx,
    );
    expect(changes).toMatchObject({ normalizedEmails: ['li@acme.example'], normalizedPhones: ['+8613800138000'], join: [A], leave: [] });
    expect(changes.searchText).toBe('李伟 li@acme.example 8613800138000 acme robotics');
    expect(events[0]).toMatchObject({ type: 'crm.contact.created', data: { accountIds: [A], version: 1 } });
  });

  it('ends the memberships an edit drops and starts the ones it adds', () => {
    const { changes: created } = decideCreateContact({ name: 'Wang', accountIds: [A] }, owner, known, ctx);
    const { changes } = decideEditContact(created, { accountIds: [B] }, owner, known, ctx);
    expect(changes).toMatchObject({ accountIds: [B], join: [B], leave: [A], version: 2 });
    expect(decideEditContact(created, { title: 'CFO' }, owner, known, ctx).changes).toMatchObject({ accountIds: [A], join: [], leave: [] });
  });

  it('refuses an account that does not exist, naming its index', () => {
    expect(() => decideCreateContact({ name: 'X', accountIds: [A, '3a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'] }, owner, known, ctx)).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'accountIds[1]', message: 'no such account' })] }),
    );
  });
});
