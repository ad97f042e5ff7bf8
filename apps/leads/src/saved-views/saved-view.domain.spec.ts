import { DomainError } from '@crm/domain';
import { assertMayDelete, decideCreateView, mayRead, nameTaken, validQuery, type SavedViewRow } from './saved-view.domain';

const now = new Date('2026-12-01T00:00:00Z');
const east = { sub: 'rep-1', team: 'east' };
const mate = { sub: 'rep-2', team: 'east' };
const west = { sub: 'rep-3', team: 'west' };
const view = (over: Partial<SavedViewRow> = {}): SavedViewRow => ({
  ...decideCreateView(east, 'v1', { list: 'leads', name: 'Mine', query: { status: 'assigned' } }, now),
  ...over,
});
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as DomainError).code, fields: (e as DomainError).fields?.map((f) => f.field) };
  }
  throw new Error('no error');
};

describe('saved views', () => {
  it('stores the trimmed name, the query and the owner team, private by default', () => {
    expect(decideCreateView(east, 'v1', { list: 'leads', name: '  Overdue  ', query: { overdue: 'true' } }, now)).toEqual({
      id: 'v1',
      ownerId: 'rep-1',
      team: 'east',
      list: 'leads',
      name: 'Overdue',
      query: { overdue: 'true' },
      shared: false,
      createdAt: now,
      updatedAt: now,
    });
  });

  it('refuses an empty name, odd query keys or values, too many keys, and sharing without a team', () => {
    expect(issuesOf(() => decideCreateView(east, 'v', { list: 'leads', name: ' ', query: { 'a b': 'x', sort: 5 } }, now))).toEqual({
      code: 'VALIDATION_FAILED',
      fields: ['query', 'query.sort', 'name'],
    });
    expect(issuesOf(() => decideCreateView({ sub: 'x', team: null }, 'v', { list: 'leads', name: 'n', query: {}, shared: true }, now)).fields).toEqual([
      'shared',
    ]);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    expect(validQuery(many).map((i) => i.field)).toEqual(['query']);
    expect(validQuery({ q: 'x'.repeat(201) }).map((i) => i.field)).toEqual(['query.q']);
  });

  it('shows own views and the team’s shared ones, never another team’s or an unshared one', () => {
    expect(mayRead(east, view())).toBe(true);
    expect(mayRead(mate, view())).toBe(false);
    expect(mayRead(mate, view({ shared: true }))).toBe(true);
    expect(mayRead(west, view({ shared: true }))).toBe(false);
    expect(mayRead({ sub: 'x', team: null }, view({ shared: true, team: null }))).toBe(false);
  });

  it('lets only the owner delete: a teammate gets 403, a stranger 404', () => {
    expect(() => assertMayDelete(east, view())).not.toThrow();
    expect(issuesOf(() => assertMayDelete(mate, view({ shared: true }))).code).toBe('NOT_VIEW_OWNER');
    expect(issuesOf(() => assertMayDelete(west, view({ shared: true }))).code).toBe('NOT_FOUND');
  });

  it('names the field of a taken name', () => {
    expect(nameTaken('Mine')).toMatchObject({ kind: 'conflict', code: 'SAVED_VIEW_NAME_TAKEN', fields: [{ field: 'name' }] });
  });
});
