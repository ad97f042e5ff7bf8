import { decideAccountMerge, decideAccountUndo, type MergeableAccount } from './account-merge.domain';
import { decideContactMerge, type MergeableContact } from './contact-merge.domain';
import { assertNotMerged, assertUndoable, type MergeRecord } from './merge.domain';

const now = new Date('2026-03-01T02:00:00Z');
const ctx = { mergeId: '11111111-1111-4111-8111-111111111111', by: 'manager-1', now };
const account = (id: string, over: Partial<MergeableAccount> = {}): MergeableAccount => ({
  id,
  version: 1,
  name: 'Acme',
  domains: [],
  industry: null,
  size: null,
  region: null,
  taxId: null,
  billingAddress: null,
  shippingAddress: null,
  currency: null,
  ownerRepId: null,
  team: 'east',
  mergedInto: null,
  ...over,
});
const S = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const L = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

describe('merge decisions', () => {
  it('keeps the chosen side per field, the survivor’s else (the loser’s where the survivor has none), and the union of domains', () => {
    const { changes, events } = decideAccountMerge(
      account(S, { name: 'Acme', domains: ['acme.example'], industry: 'tools', currency: 'CNY' }),
      account(L, { name: 'ACME Ltd', domains: ['acme-ltd.example', 'acme.example'], industry: 'hardware', region: 'north', team: 'west' }),
      { name: 'merged' },
      ctx,
    );
    expect(changes.survivor).toMatchObject({ name: 'ACME Ltd', industry: 'tools', region: 'north', currency: 'CNY', team: 'east', version: 2 });
    expect(changes.survivor.domains).toEqual(['acme.example', 'acme-ltd.example']);
    expect(changes.record).toMatchObject({ kind: 'account', survivorId: S, mergedId: L, survivorBefore: expect.objectContaining({ name: 'Acme' }) });
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['crm.account.updated', S],
      ['crm.account.merged', S],
    ]);
    expect(events[1].data).toMatchObject({ mergeId: ctx.mergeId, survivorId: S, mergedId: L, by: 'manager-1' });
  });

  it('takes the owner rep and team together from the chosen side', () => {
    const { changes } = decideAccountMerge(account(S), account(L, { ownerRepId: L, team: 'west' }), { owner: 'merged' }, ctx);
    expect(changes.survivor).toMatchObject({ ownerRepId: L, team: 'west' });
  });

  it('refuses itself, a record already merged on either side, and two currencies', () => {
    expect(() => decideAccountMerge(account(S), account(S), {}, ctx)).toThrow(expect.objectContaining({ code: 'MERGE_INTO_SELF', kind: 'invalid' }));
    expect(() => decideAccountMerge(account(S, { mergedInto: L }), account(L), {}, ctx)).toThrow(expect.objectContaining({ code: 'ALREADY_MERGED' }));
    expect(() => decideAccountMerge(account(S), account(L, { mergedInto: S }), {}, ctx)).toThrow(expect.objectContaining({ code: 'ALREADY_MERGED' }));
    expect(() => decideAccountMerge(account(S, { currency: 'EUR' }), account(L, { currency: 'USD' }), {}, ctx)).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH', kind: 'conflict' }),
    );
    expect(() => decideAccountMerge(account(S, { currency: 'EUR' }), account(L), {}, ctx)).not.toThrow();
  });

  it('refuses an edit of a record merged away, naming where it went', () => {
    expect(() => assertNotMerged('contact', { id: L, mergedInto: S })).toThrow(
      expect.objectContaining({ code: 'MERGED_RECORD', extensions: { mergedInto: S } }),
    );
    expect(() => assertNotMerged('contact', { id: L, mergedInto: null })).not.toThrow();
  });

  it('merges contacts with the union of emails, phones and accounts', () => {
    const contact = (id: string, over: Partial<MergeableContact>): MergeableContact => ({
      id,
      version: 3,
      name: 'Li',
      title: null,
      emails: [],
      phones: [],
      preferredChannel: null,
      accountIds: [],
      ownerRepId: null,
      team: 'east',
      mergedInto: null,
      ...over,
    });
    const known = new Map([
      ['cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'One'],
      ['dddddddd-dddd-4ddd-8ddd-dddddddddddd', 'Two'],
    ]);
    const { changes, events } = decideContactMerge(
      contact(S, { emails: ['a@x.example'], accountIds: ['cccccccc-cccc-4ccc-8ccc-cccccccccccc'] }),
      contact(L, {
        name: 'Li Wei',
        title: 'Buyer',
        emails: ['b@x.example', 'a@x.example'],
        phones: ['+86 1'],
        accountIds: ['dddddddd-dddd-4ddd-8ddd-dddddddddddd'],
      }),
      { name: 'merged' },
      known,
      ctx,
    );
    expect(changes.survivor).toMatchObject({
      name: 'Li Wei',
      title: 'Buyer',
      emails: ['a@x.example', 'b@x.example'],
      phones: ['+86 1'],
      join: ['dddddddd-dddd-4ddd-8ddd-dddddddddddd'],
      leave: [],
    });
    expect(events.map((e) => e.type)).toEqual(['crm.contact.updated', 'crm.contact.merged']);
    // Either side erased: refused, whatever else would be wrong with the merge.
    const erasedAt = new Date('2026-02-01T00:00:00Z');
    for (const [survivor, merged] of [
      [contact(S, { erasedAt }), contact(L, {})],
      [contact(S, {}), contact(L, { erasedAt, mergedInto: S })],
    ]) {
      expect(() => decideContactMerge(survivor, merged, {}, known, ctx)).toThrow(
        expect.objectContaining({
          kind: 'conflict',
          code: 'ERASED_RECORD',
          detail: `The contact ${erasedAt === survivor.erasedAt ? S : L} was erased; it can no longer be changed.`,
        }),
      );
    }
  });
});

describe('undo decisions', () => {
  const merge = (over: Partial<MergeRecord> = {}): MergeRecord => ({
    ...decideAccountMerge(account(S, { name: 'Before', industry: 'tools' }), account(L), { name: 'merged' }, ctx).changes.record,
    ...over,
  });
  const ok = { now: new Date('2026-03-10T00:00:00Z'), undoDays: 30, latestMergeId: ctx.mergeId, survivorMergedInto: null };

  it('restores the survivor from its snapshot and publishes merge_undone and both records', () => {
    const { changes, events } = decideAccountUndo(merge(), account(S, { name: 'Acme', version: 2, domains: ['x.example'] }), account(L, { version: 3 }), {
      by: 'admin',
      now,
    });
    expect(changes.survivor).toMatchObject({ name: 'Before', industry: 'tools', domains: [], version: 3 });
    expect(changes.restored).toMatchObject({ id: L, version: 4 });
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['crm.account.merge_undone', S],
      ['crm.account.updated', S],
      ['crm.account.updated', L],
    ]);
    expect(events[0].data).toMatchObject({ mergeId: ctx.mergeId, restoredId: L });
  });

  it('is refused once undone, when the survivor was merged away, when a later merge is in place, and after the period', () => {
    expect(() => assertUndoable(merge(), ok)).not.toThrow();
    expect(() => assertUndoable(merge({ undoneAt: now }), ok)).toThrow(expect.objectContaining({ code: 'MERGE_ALREADY_UNDONE' }));
    expect(() => assertUndoable(merge(), { ...ok, survivorMergedInto: L })).toThrow(expect.objectContaining({ code: 'SURVIVOR_MERGED' }));
    expect(() => assertUndoable(merge(), { ...ok, latestMergeId: 'later' })).toThrow(expect.objectContaining({ code: 'NOT_LATEST_MERGE' }));
    expect(() => assertUndoable(merge(), { ...ok, now: new Date('2026-03-31T02:00:01Z') })).toThrow(expect.objectContaining({ code: 'UNDO_PERIOD_OVER' }));
    expect(() => assertUndoable(merge(), { ...ok, now: new Date('2026-03-31T02:00:00Z') })).not.toThrow();
  });
});
