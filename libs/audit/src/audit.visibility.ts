import { ERASED, maskPersonal } from '@crm/privacy';
import type { FieldChange } from './audit.diff';

/** What a caller's roles let them read of the trail. */
export interface AuditReader {
  /** Personal old/new values in clear (admin, sales_manager); masked for everyone else. */
  personalInClear: boolean;
  /** May list a user's changes or a whole record type; others must name one record. */
  mayQueryBroadly: boolean;
}

const CLEAR = ['admin', 'sales_manager'];

export function auditReader(roles: readonly string[]): AuditReader {
  const clear = roles.some((r) => CLEAR.includes(r));
  return { personalInClear: clear, mayQueryBroadly: clear };
}

/**
 * A stored change as this reader sees it. `opened` holds the personal values decrypted (absent when the record's
 * key was destroyed: they read "[erased]" for everyone); non-personal values show as they are.
 */
export function presentChange(
  change: { field: string; personal: boolean; old?: unknown; new?: unknown },
  opened: { old: unknown; new: unknown } | undefined,
  reader: AuditReader,
): FieldChange {
  if (!change.personal) return { field: change.field, old: change.old ?? null, new: change.new ?? null, personal: false };
  if (!opened) return { field: change.field, old: ERASED, new: ERASED, personal: true };
  const show = reader.personalInClear ? (v: unknown) => v : maskPersonal;
  return { field: change.field, old: show(opened.old) ?? null, new: show(opened.new) ?? null, personal: true };
}
