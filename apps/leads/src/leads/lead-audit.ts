import { changedFields, type FieldChange } from '@crm/audit';

// What the trail compares of a lead (bookkeeping left out) and of a follow-up, and which fields are personal.
const LEAD_FIELDS = [
  'status',
  'ownerRepId',
  'team',
  'ruleId',
  'unassignedReason',
  'source',
  'campaign',
  'contactName',
  'email',
  'phone',
  'company',
  'companySize',
  'region',
  'productInterest',
  'needs',
  'score',
  'customFields',
  'qualifiedAt',
  'disqualifiedAt',
  'disqualifyReason',
  'convertedAt',
  'conversion',
  'productNeeds',
  'opportunityId',
  'accountId',
  'contactId',
] as const;
// `needs` is the person's own message from the form; custom fields, the reasons (a rep's note after the code) and
// a conversion's product needs may name or quote the person too. Sealed with the lead's key, an erasure reaches them.
const LEAD_PERSONAL = ['contactName', 'email', 'phone', 'needs', 'customFields', 'unassignedReason', 'disqualifyReason', 'productNeeds'];
const FOLLOW_UP_FIELDS = ['id', 'channel', 'at', 'content', 'customerFeedback', 'nextAction', 'nextActionDueAt'] as const;
// As on the topic (lead.followed_up): the next step may name the person ("email …").
const FOLLOW_UP_PERSONAL = ['content', 'customerFeedback', 'nextAction'];

type Fields = object | null | undefined;

/** The conversion's terms are business facts, its product needs the person's words: compared as two fields. */
function splitNeeds(lead: Fields): Fields {
  if (!lead || !('conversion' in lead) || !lead.conversion || typeof lead.conversion !== 'object') return lead;
  const { productNeeds, ...conversion } = lead.conversion as { productNeeds?: unknown };
  return { ...lead, conversion, productNeeds };
}

export const leadChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(splitNeeds(before), splitNeeds(after), LEAD_PERSONAL, LEAD_FIELDS);
export const followUpChanges = (followUp: Fields): FieldChange[] => changedFields(null, followUp, FOLLOW_UP_PERSONAL, FOLLOW_UP_FIELDS);
