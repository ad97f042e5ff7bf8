import { changedFields, erasedFields } from './audit.diff';
import { auditReader, presentChange } from './audit.visibility';

describe('changedFields', () => {
  it('lists only the fields whose value changed, personal ones marked', () => {
    const before = { name: 'Li Wei', phones: ['+86 138 0013 8000'], title: null, version: 3 };
    const after = { name: 'Li Wei', phones: ['+86 139 0000 1234'], title: 'Buyer', version: 4 };
    expect(changedFields(before, after, ['name', 'phones'])).toEqual([
      { field: 'phones', old: ['+86 138 0013 8000'], new: ['+86 139 0000 1234'], personal: true },
      { field: 'title', old: null, new: 'Buyer', personal: false },
    ]);
  });

  it('compares instants, arrays and objects by value, and absent as null', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const before = { dueAt: at, tags: ['a', 'b'], address: { city: '上海' }, note: undefined };
    const after = { dueAt: new Date(at.getTime()), tags: ['a', 'b'], address: { city: '上海' }, note: null };
    expect(changedFields(before, after, [])).toEqual([]);
    expect(changedFields(before, { ...after, tags: ['b', 'a'] }, [])).toEqual([{ field: 'tags', old: ['a', 'b'], new: ['b', 'a'], personal: false }]);
  });

  it('keeps to the fields named, in their order, and leaves bookkeeping out otherwise', () => {
    const before = { id: 'x', updatedAt: new Date(1), searchText: 'a', b: 1, a: 1 };
    const after = { id: 'x', updatedAt: new Date(2), searchText: 'b', b: 2, a: 2 };
    expect(changedFields(before, after, []).map((c) => c.field)).toEqual(['b', 'a']);
    expect(changedFields(before, after, [], ['a']).map((c) => c.field)).toEqual(['a']);
  });

  it('lists every set field of a creation as new', () => {
    expect(changedFields(null, { name: 'Wang Fang', email: null }, ['name'])).toEqual([{ field: 'name', old: null, new: 'Wang Fang', personal: true }]);
  });

  it("names an erasure's fields as personal, without any value", () => {
    expect(erasedFields(['name', 'emails'])).toEqual([
      { field: 'name', old: null, new: null, personal: true },
      { field: 'emails', old: null, new: null, personal: true },
    ]);
  });
});

describe('who sees what of the trail', () => {
  const phone = { field: 'phones', personal: true };
  const opened = { old: ['+86 138 0013 8000'], new: ['li.wei@acme.example'] };

  it.each([
    [['admin'], true],
    [['sales_manager'], true],
    [['sales_rep'], false],
    [['integration'], false],
    [['sales_rep', 'sales_manager'], true],
  ])('roles %j read personal values in clear and query broadly: %s', (roles, clear) => {
    expect(auditReader(roles)).toEqual({ personalInClear: clear, mayQueryBroadly: clear });
  });

  it('shows personal values in clear to a manager and masked to a rep', () => {
    expect(presentChange(phone, opened, auditReader(['sales_manager']))).toEqual({ field: 'phones', ...opened, personal: true });
    expect(presentChange(phone, opened, auditReader(['sales_rep']))).toEqual({ field: 'phones', old: ['•••00'], new: ['l•••@acme.example'], personal: true });
  });

  it('reads [erased] for everyone once the values cannot be opened', () => {
    for (const roles of [['admin'], ['sales_rep']]) {
      expect(presentChange(phone, undefined, auditReader(roles))).toEqual({ field: 'phones', old: '[erased]', new: '[erased]', personal: true });
    }
  });

  it('shows non-personal values as they are to everyone', () => {
    expect(presentChange({ field: 'score', personal: false, old: 10, new: 70 }, undefined, auditReader(['sales_rep']))).toEqual({
      field: 'score',
      old: 10,
      new: 70,
      personal: false,
    });
  });
});
