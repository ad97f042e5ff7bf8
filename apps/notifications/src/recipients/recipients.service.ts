import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError } from '@crm/domain';
import { decodeCursor, encodeCursor, type AuthUser, type Page } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { recipientChanges } from '../audit/notifications-audit';
import { decideCreateOrReplace } from '../common/replace.domain';
import {
  decideDirectoryEntry,
  decideOwnSettings,
  defaultSettings,
  directoryScope,
  type DeliverySettings,
  type DirectoryEntry,
  type StoredRecipient,
} from './recipients.domain';
import { RecipientsRepository } from './recipients.repository';

const settingsOf = (r: StoredRecipient) => ({
  userId: r.userId,
  locale: r.locale,
  timeZone: r.timeZone,
  quietHours: r.quietHours,
  digestAt: r.digestAt,
  email: r.email,
  source: r.source,
  version: r.version,
});

/** The directory admins keep (who can be told) and each user's own delivery settings, on the same rows. */
@Injectable()
export class RecipientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RecipientsRepository,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
  ) {}

  async ownSettings(user: AuthUser, acceptLanguage: string | undefined) {
    const row = await this.repo.get(user.sub);
    if (!row) return defaultSettings(user.sub, acceptLanguage, this.calendar.zone);
    return { ...settingsOf(row), timeZone: row.timeZone ?? this.calendar.zone };
  }

  putOwnSettings(user: AuthUser, settings: DeliverySettings, expectedVersion: number | undefined) {
    return inTransaction(this.dataSource, async (m) => {
      const current = await this.repo.lock(m, user.sub);
      const decision = decideCreateOrReplace('settings of', user.sub, current, expectedVersion);
      const next = decideOwnSettings(current, user.sub, settings);
      const saved = decision === 'create' ? await this.repo.insert(m, next) : await this.repo.replace(m, next);
      await this.recordChange(m, user.sub, decision, current, saved);
      return { settings: settingsOf(saved), created: decision === 'create' };
    });
  }

  async list(user: AuthUser, q: { team?: string; limit: number; cursor?: string }): Promise<Page<StoredRecipient>> {
    const scope = directoryScope(user, q.team);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const rows = await this.repo.list(scope, q.limit, q.cursor ? afterOf(q.cursor) : null);
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(['userId', items[items.length - 1].userId]) : null };
  }

  putEntry(userId: string, entry: DirectoryEntry, expectedVersion: number | undefined) {
    return inTransaction(this.dataSource, async (m) => {
      const current = await this.repo.lock(m, userId);
      const decision = decideCreateOrReplace('recipient', userId, current, expectedVersion);
      const next = decideDirectoryEntry(current, userId, entry);
      const saved = decision === 'create' ? await this.repo.insert(m, next) : await this.repo.replace(m, next);
      await this.recordChange(m, userId, decision, current, saved);
      return { recipient: saved, created: decision === 'create' };
    });
  }

  /** The directory entry and a user's own settings are one row: one record in the trail, its name and email sealed. */
  private recordChange(m: EntityManager, userId: string, decision: 'create' | 'replace', before: StoredRecipient | undefined, after: StoredRecipient) {
    const action = decision === 'create' ? 'created' : 'updated';
    return this.audit.record(m, { recordType: 'recipient', recordId: userId, action, changes: recipientChanges(before, after) });
  }
}

function afterOf(cursor: string): string {
  const [key, userId] = decodeCursor(cursor);
  if (key !== 'userId' || typeof userId !== 'string') throw DomainError.invalidInput('cursor', 'isCursor', 'cursor is not a cursor this list issued');
  return userId;
}
