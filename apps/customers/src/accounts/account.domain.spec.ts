import { decideCreateAccount, decideEditAccount } from './account.domain';

const ctx = { id: '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b', by: 'rep-1', now: new Date('2026-03-01T02:00:00Z') };
const owner = { ownerRepId: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e', team: 'east' };

describe('account decisions', () => {
  it('stores normalised domains and the keys the duplicate check and search read, and publishes account.created', () => {
    const { changes, events } = decideCreateAccount({ name: ' 北京华为科技 ', domains: ['https://WWW.Huawei.example/', 'huawei.example'] }, owner, ctx);
    expect(changes).toMatchObject({ name: '北京华为科技', domains: ['huawei.example'], version: 1, normalizedName: '北京华为科技' });
    expect(changes.nameBigrams).toContain('华为');
    expect(changes.searchText).toBe('北京华为科技 huawei.example ');
    expect(events).toEqual([
      expect.objectContaining({ type: 'crm.account.created', subject: ctx.id, data: expect.objectContaining({ version: 1, by: 'rep-1' }) }),
    ]);
  });

  it('refuses a domain that normalises to nothing, naming its index', () => {
    expect(() => decideCreateAccount({ name: 'A', domains: ['acme.example', 'https://'] }, owner, ctx)).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'domains[1]' })] }),
    );
  });

  it('keeps what an edit leaves out, clears what it sets to null, and bumps the version', () => {
    const { changes: created } = decideCreateAccount({ name: 'Acme', industry: 'energy', region: 'east' }, owner, ctx);
    const { changes, events } = decideEditAccount(created, { region: null, name: undefined }, owner, ctx);
    expect(changes).toMatchObject({ name: 'Acme', industry: 'energy', region: null, version: 2 });
    expect(events[0]).toMatchObject({ type: 'crm.account.updated', data: { region: null, version: 2 } });
  });
});
