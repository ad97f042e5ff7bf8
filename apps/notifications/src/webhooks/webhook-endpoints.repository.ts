import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@crm/domain';
import { decodeCursor, encodeCursor, Role, type AuthUser, type Page } from '@crm/http';
import type { EndpointState } from './webhook-endpoint.domain';

export const ENDPOINT_COLUMNS = `id, owner_user_id AS "ownerUserId", owner_team AS "ownerTeam", url, format, description, types, secrets, enabled,
  disabled_at AS "disabledAt", disabled_reason AS "disabledReason", consecutive_failures AS "consecutiveFailures", created_by AS "createdBy",
  version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface DeliveryView {
  id: string;
  notificationId: string | null;
  type: string | null;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  createdAt: Date;
}

const DELIVERY_COLUMNS = `d.id, d.notification_id AS "notificationId", n.type, d.status, d.attempts, d.last_status AS "lastStatus", d.last_error AS "lastError",
  d.next_attempt_at AS "nextAttemptAt", d.sent_at AS "sentAt", d.created_at AS "createdAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Newest first, by (created_at, id): the position after a cursor of this list, or null for the first page. */
function after(cursor: string | undefined, list: string): [string, string] | null {
  if (!cursor) return null;
  const [key, at, id] = decodeCursor(cursor);
  if (key !== list || typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !UUID.test(id)) {
    throw DomainError.invalidInput('cursor', 'isCursor', 'cursor is not a cursor this list issued');
  }
  return [at, id];
}

function page<T extends { id: string }>(rows: (T & { cursorAt: string })[], limit: number, list: string): Page<T> {
  const items = rows.slice(0, limit).map(({ cursorAt: _c, ...rest }) => rest as unknown as T);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([list, last.cursorAt, last.id]) : null };
}

/** The only SQL of the endpoints API: endpoints, and their rows of the delivery ledger. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lock(m: EntityManager, id: string): Promise<EndpointState | undefined> {
    const [row] = await m.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  async find(id: string): Promise<EndpointState | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return row;
  }

  async insert(m: EntityManager, e: EndpointState): Promise<void> {
    await m.query(
      `INSERT INTO webhook_endpoints (id, owner_user_id, owner_team, url, format, description, types, secrets, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [e.id, e.ownerUserId, e.ownerTeam, e.url, e.format, e.description, e.types, JSON.stringify(e.secrets), e.createdBy, e.createdAt],
    );
  }

  /** Every mutable column as the decision left it. */
  async save(m: EntityManager, e: EndpointState): Promise<void> {
    await m.query(
      `UPDATE webhook_endpoints SET url = $2, format = $3, description = $4, types = $5, secrets = $6, enabled = $7, disabled_at = $8,
              disabled_reason = $9, consecutive_failures = $10, version = $11, updated_at = $12
        WHERE id = $1`,
      [
        e.id,
        e.url,
        e.format,
        e.description,
        e.types,
        JSON.stringify(e.secrets),
        e.enabled,
        e.disabledAt,
        e.disabledReason,
        e.consecutiveFailures,
        e.version,
        e.updatedAt,
      ],
    );
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
  }

  /** The endpoint's messages not yet under way will not go out (disabled or deleted); a replay can bring them back. */
  async cancelPending(m: EntityManager, endpointId: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE deliveries SET status = 'cancelled', lease_until = NULL, last_error = $2 WHERE channel = 'webhook' AND target = $1 AND status = 'pending'`,
      [endpointId, reason.slice(0, 2000)],
    );
  }

  /** The caller's own endpoints and, for a manager, their team's; everything for an admin. */
  async list(user: AuthUser, q: { limit: number; cursor?: string }): Promise<Page<EndpointState>> {
    const pos = after(q.cursor, 'webhook-endpoints');
    const all = user.roles.includes(Role.Admin);
    const team = user.roles.includes(Role.SalesManager) ? (user.team ?? null) : null;
    const rows: (EndpointState & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS}, created_at::text AS "cursorAt" FROM webhook_endpoints
        WHERE ($1 OR owner_user_id = $2 OR owner_team = $3) AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [all, user.sub, team, pos?.[0] ?? null, pos?.[1] ?? null, q.limit + 1],
    );
    return page(rows, q.limit, 'webhook-endpoints');
  }

  /** The endpoint's rows of the ledger, newest first. */
  async deliveries(endpointId: string, q: { limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
    const pos = after(q.cursor, 'webhook-deliveries');
    const rows: (DeliveryView & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}, d.created_at::text AS "cursorAt" FROM deliveries d LEFT JOIN notifications n ON n.id = d.notification_id
        WHERE d.channel = 'webhook' AND d.target = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [endpointId, pos?.[0] ?? null, pos?.[1] ?? null, q.limit + 1],
    );
    return page(rows, q.limit, 'webhook-deliveries');
  }

  async lockDelivery(m: EntityManager, id: string): Promise<{ id: string; target: string; status: string } | undefined> {
    const [row] = await m.query(`SELECT id, target, status FROM deliveries WHERE id = $1 AND channel = 'webhook' FOR UPDATE`, [id]);
    return row;
  }

  /** Back to pending with a fresh attempt count; the dispatchers hear of it at commit. */
  async replay(m: EntityManager, id: string): Promise<DeliveryView> {
    await m.query(`UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, sent_at = NULL WHERE id = $1`, [id]);
    await m.query(`SELECT pg_notify('deliveries', 'webhook')`);
    const [row] = await m.query(`SELECT ${DELIVERY_COLUMNS} FROM deliveries d LEFT JOIN notifications n ON n.id = d.notification_id WHERE d.id = $1`, [id]);
    return row;
  }
}
