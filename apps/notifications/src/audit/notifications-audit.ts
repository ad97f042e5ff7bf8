import { changedFields, type FieldChange } from '@crm/audit';
import { ERASED } from '@crm/privacy';

// What the trail compares of what users and admins configure here, and which fields are personal: a colleague's
// name and email address in the directory and in their own settings (a rep reads them masked). A webhook's
// signing secrets are never compared: they would sit in the trail in clear.
const RULE_FIELDS = ['eventType', 'match', 'type', 'audiences', 'channels', 'enabled'] as const;
const TYPE_FIELDS = ['critical', 'escalateAfterMinutes'] as const;
const ROUTE_FIELDS = ['team'] as const;
const RECIPIENT_FIELDS = ['name', 'email', 'roles', 'team', 'managerId', 'locale', 'timeZone', 'quietHours', 'digestAt', 'active', 'source'] as const;
const RECIPIENT_PERSONAL = ['name', 'email'];
const ENDPOINT_FIELDS = ['url', 'format', 'description', 'types', 'ownerUserId', 'ownerTeam', 'enabled', 'disabledAt', 'disabledReason'] as const;

type Fields = object | null | undefined;

export const ruleChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], RULE_FIELDS);
export const typeChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], TYPE_FIELDS);
export const routeChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], ROUTE_FIELDS);
export const recipientChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, RECIPIENT_PERSONAL, RECIPIENT_FIELDS);
export const endpointChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], ENDPOINT_FIELDS);

/** A user's channel choices, one field per `type.channel` (no stored choice is on). */
export function preferenceChanges(before: { type: string; channel: string; enabled: boolean }[], after: typeof before): FieldChange[] {
  const key = (p: { type: string; channel: string }) => `${p.type}.${p.channel}`;
  const old = new Map(before.map((p) => [key(p), p.enabled]));
  return after
    .filter((p) => (old.get(key(p)) ?? true) !== p.enabled)
    .map((p) => ({ field: key(p), old: old.get(key(p)) ?? true, new: p.enabled, personal: false }));
}

/** The personal fields an erasure scrubbed: named, their values never kept. */
export const erasedChanges = (fields: string[]): FieldChange[] => fields.map((field) => ({ field, old: null, new: ERASED, personal: true }));
