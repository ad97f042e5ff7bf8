import { DomainError, type DomainFieldIssue } from '@crm/domain';
import { CHANNELS, type Channel, type NotificationType } from '../catalogue/catalogue';

export interface PreferenceItem {
  type: NotificationType;
  channel: Channel;
  enabled: boolean;
}

/** One cell of a user's matrix: `critical` cells are always on, whatever the user chose. */
export interface PreferenceCell extends PreferenceItem {
  critical: boolean;
}

/**
 * The user's matrix: every type × channel. No stored choice means on; a critical type shows on (the fan-out
 * ignores an "off" for it), so the matrix says what the user will actually get.
 */
export function preferenceMatrix(types: { type: NotificationType; critical: boolean }[], stored: PreferenceItem[]): PreferenceCell[] {
  const chosen = new Map(stored.map((p) => [`${p.type}:${p.channel}`, p.enabled]));
  return types.flatMap(({ type, critical }) =>
    CHANNELS.map((channel) => ({ type, channel, critical, enabled: critical || (chosen.get(`${type}:${channel}`) ?? true) })),
  );
}

/**
 * Checks a change of preferences as one: a cell named twice is a 400; turning off any channel of a critical
 * type refuses the whole change with 409 CRITICAL_TYPE naming the types, so nothing of it is stored.
 */
export function decidePreferences(items: PreferenceItem[], criticalTypes: ReadonlySet<NotificationType>): PreferenceItem[] {
  const seen = new Set<string>();
  const twice: DomainFieldIssue[] = [];
  items.forEach((item, i) => {
    const key = `${item.type}:${item.channel}`;
    if (seen.has(key)) twice.push({ field: `items[${i}]`, message: `${item.type} × ${item.channel} is already in the list`, constraint: 'unique' });
    seen.add(key);
  });
  if (twice.length) throw DomainError.invalidFields(twice);
  const refused = [...new Set(items.filter((i) => !i.enabled && criticalTypes.has(i.type)).map((i) => i.type))];
  if (refused.length) {
    throw new DomainError({
      kind: 'conflict',
      code: 'CRITICAL_TYPE',
      detail: `${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} critical and cannot be turned off; nothing was changed.`,
      extensions: { types: refused },
    });
  }
  return items;
}
