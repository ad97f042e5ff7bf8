import { changedFields, type FieldChange } from '@crm/audit';

// What the trail compares of what people set in analytics (the read model itself is projected from events, not
// changed through the API). Nothing here is personal data: amounts, periods, teams, rep ids.
const QUOTA_FIELDS = ['amount', 'currency'] as const;
const PLAN_FIELDS = ['currency', 'commission', 'bonuses'] as const;

type Fields = object | null | undefined;

export const quotaChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], QUOTA_FIELDS);
export const planChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], PLAN_FIELDS);

/** A quota is one rep's for one period; a plan one team's for one period. */
export const quotaId = (period: string, repId: string): string => `${period}/${repId}`;
export const planId = (period: string, team: string): string => `${period}/${team}`;
