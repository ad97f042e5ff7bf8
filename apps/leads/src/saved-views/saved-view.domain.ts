// Saved views of a list: a user's named filters, search and sort, which they may share with their team.
// Who sees, who may delete, and what a valid view is are decided here; the repository only stores.
import { DomainError, type DomainFieldIssue } from '@crm/domain';

/** The lists a view may belong to. */
export const SAVED_VIEW_LISTS = ['leads', 'opportunities', 'orders', 'customers'] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];

export const MAX_QUERY_KEYS = 20;
export const MAX_QUERY_VALUE = 200;
const QUERY_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export interface Viewer {
  sub: string;
  team: string | null;
}

export interface SavedViewRow {
  id: string;
  ownerId: string;
  team: string | null;
  list: SavedViewList;
  name: string;
  query: Record<string, string>;
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewSavedViewInput {
  list: SavedViewList;
  name: string;
  query: Record<string, unknown>;
  shared?: boolean;
}

/** The query string a view stores: short string values under plain keys, nothing else. */
export function validQuery(query: Record<string, unknown>): DomainFieldIssue[] {
  const issues: DomainFieldIssue[] = [];
  const entries = Object.entries(query);
  if (entries.length > MAX_QUERY_KEYS) issues.push({ field: 'query', message: `at most ${MAX_QUERY_KEYS} parameters` });
  for (const [key, value] of entries.slice(0, MAX_QUERY_KEYS)) {
    if (!QUERY_KEY.test(key)) issues.push({ field: 'query', message: `"${key.slice(0, 40)}" is not a parameter name` });
    else if (typeof value !== 'string' || value.length > MAX_QUERY_VALUE) {
      issues.push({ field: `query.${key}`, message: `must be a string of at most ${MAX_QUERY_VALUE} characters` });
    }
  }
  return issues;
}

/** A new view of `viewer`; sharing needs a team to share with. */
export function decideCreateView(viewer: Viewer, id: string, input: NewSavedViewInput, now: Date): SavedViewRow {
  const issues = validQuery(input.query);
  const name = input.name.trim();
  if (!name) issues.push({ field: 'name', message: 'must not be empty' });
  const shared = input.shared ?? false;
  if (shared && !viewer.team) issues.push({ field: 'shared', message: 'you belong to no team to share it with' });
  if (issues.length) throw DomainError.invalidFields(issues);
  return {
    id,
    ownerId: viewer.sub,
    team: viewer.team,
    list: input.list,
    name,
    query: input.query as Record<string, string>,
    shared,
    createdAt: now,
    updatedAt: now,
  };
}

/** One's own views, and the views one's team shares. */
export function mayRead(viewer: Viewer, view: Pick<SavedViewRow, 'ownerId' | 'team' | 'shared'>): boolean {
  return view.ownerId === viewer.sub || (view.shared && viewer.team !== null && view.team === viewer.team);
}

/** Only the owner deletes a view; a teammate who only sees it is refused, a stranger learns nothing (404). */
export function assertMayDelete(viewer: Viewer, view: SavedViewRow): void {
  if (!mayRead(viewer, view)) throw DomainError.notFound('saved view', view.id);
  if (view.ownerId !== viewer.sub) throw DomainError.forbidden('Only the person who saved a view may delete it.', 'NOT_VIEW_OWNER');
}

/** The conflict when the owner already has a view of that name on that list. */
export function nameTaken(name: string): DomainError {
  return new DomainError({
    kind: 'conflict',
    code: 'SAVED_VIEW_NAME_TAKEN',
    detail: `You already have a view named "${name}" on this list.`,
    fields: [{ field: 'name', message: 'already used by another of your views' }],
  });
}
