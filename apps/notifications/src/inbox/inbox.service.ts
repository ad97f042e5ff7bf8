import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError } from '@crm/domain';
import { decodeCursor, encodeCursor, type Page } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { render } from '../templates/templates';
import { inboxKeyFrom, inboxKeyValues, isNotificationId, localeFor, snoozeUntil, type InboxStatus } from './inbox.domain';
import type { NotificationItemDto } from './inbox.dto';
import { InboxRepository, type InboxChange, type InboxRow } from './inbox.repository';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The caller's own inbox: a page, the unread count, and the changes a reader makes. */
@Injectable()
export class InboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: InboxRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  /** A row as the list and the live stream show it, rendered in the recipient's language and time zone. */
  toItem(row: InboxRow, acceptLanguage?: string): NotificationItemDto {
    const { title, body, link } = render(row, localeFor(row.locale, acceptLanguage), row.timeZone ?? this.calendar.zone);
    return {
      id: row.id,
      type: row.type,
      critical: row.critical,
      recordKind: row.recordKind,
      recordId: row.recordId,
      title,
      body,
      link,
      createdAt: iso(row.createdAt)!,
      readAt: iso(row.readAt),
      archivedAt: iso(row.archivedAt),
      snoozedUntil: iso(row.snoozedUntil),
    };
  }

  async list(
    userId: string,
    q: { status?: InboxStatus; type?: string; limit: number; cursor?: string },
    acceptLanguage?: string,
  ): Promise<Page<NotificationItemDto>> {
    let after;
    if (q.cursor) {
      after = inboxKeyFrom(decodeCursor(q.cursor));
      if (!after) throw DomainError.invalidInput('cursor', 'isCursor', 'cursor is not a cursor this list issued');
    }
    const rows = await this.repo.list(this.dataSource.manager, userId, { status: q.status, type: q.type, after, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > q.limit ? encodeCursor(inboxKeyValues({ read: last.readAt !== null, id: last.id })) : null;
    return { items: items.map((r) => this.toItem(r, acceptLanguage)), nextCursor };
  }

  async unreadCount(userId: string): Promise<{ unread: number }> {
    return { unread: await this.repo.unreadCount(this.dataSource.manager, userId) };
  }

  read = (userId: string, id: string, lang?: string) => this.change(userId, id, { kind: 'read' }, lang);
  unread = (userId: string, id: string, lang?: string) => this.change(userId, id, { kind: 'unread' }, lang);
  archive = (userId: string, id: string, lang?: string) => this.change(userId, id, { kind: 'archive' }, lang);

  snooze(userId: string, id: string, until: string, lang?: string, now = new Date()): Promise<NotificationItemDto> {
    return this.change(userId, id, { kind: 'snooze', until: snoozeUntil(until, now) }, lang);
  }

  async readAll(userId: string, before?: string): Promise<{ updated: number; unread: number }> {
    return inTransaction(this.dataSource, async (m) => {
      const updated = await this.repo.readAll(m, userId, before);
      return { updated, unread: await this.repo.unreadCount(m, userId) };
    });
  }

  /** Someone else's notification, like a missing one, is a 404. */
  private async change(userId: string, id: string, change: InboxChange, acceptLanguage?: string): Promise<NotificationItemDto> {
    if (!isNotificationId(id)) throw DomainError.notFound('notification', id);
    const row = await inTransaction(this.dataSource, async (m) => ((await this.repo.change(m, userId, id, change)) ? this.repo.one(m, userId, id) : null));
    if (!row) throw DomainError.notFound('notification', id);
    return this.toItem(row, acceptLanguage);
  }
}
