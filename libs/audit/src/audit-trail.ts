import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, invalidCursorProblem, type Page } from '@crm/http';
import { currentRequest } from '@crm/observability';
import { decrypt, encrypt, personalKeyId, type KeySource } from '@crm/privacy';
import type { FieldChange } from './audit.diff';
import { AUDIT_PURGE_SETTING } from './audit-trail.migration';
import { presentChange, type AuditReader } from './audit.visibility';

/** What a service records: the record, the verb and the fields that changed. Who, when and from where come from the request. */
export interface AuditEntry {
  recordType: string;
  recordId: string;
  /** 'created', 'updated', 'deleted', 'exported', 'erased', or a domain verb ('qualified', 'merged' …). */
  action: string;
  changes: FieldChange[];
  /** The record whose data key seals the personal values, when not `recordId` (a follow-up sealed with its lead's). */
  keyRecordId?: string;
  /** Who, when no request carries a user (a scheduled job: 'system'). */
  actor?: string;
}

/** A personal change as stored: old and new sealed together with the record's key; nothing when the key was gone. */
interface StoredChange {
  field: string;
  personal: boolean;
  old?: unknown;
  new?: unknown;
  sealed?: string;
}

export interface AuditQuery {
  recordType?: string;
  recordId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditRecordView {
  id: string;
  at: string;
  actor: string;
  actorRoles: string[];
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  recordType: string;
  recordId: string;
  action: string;
  changes: FieldChange[];
}

interface Row {
  id: string;
  at: Date;
  at_key: string;
  actor: string;
  actor_roles: string[];
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  record_type: string;
  record_id: string;
  action: string;
  key_id: string | null;
  changes: StoredChange[];
}

const aad = (keyId: string, field: string) => `audit:${keyId}:${field}`;
const PURGE_LOCK = 'audit_trail_purge';

/**
 * One service's audit trail (`audit_trail`, see auditTrailMigration): `record` appends an entry in the caller's
 * transaction, so the trail has an entry exactly when the change committed; personal values are sealed with the
 * record's data key, so erasing the record (destroying its key) leaves the entry but not the values.
 */
export class AuditTrail {
  constructor(
    readonly service: string,
    private readonly keys: KeySource,
  ) {}

  async record(m: EntityManager, entry: AuditEntry): Promise<void> {
    if (entry.action === 'updated' && !entry.changes.length) return;
    const request = currentRequest();
    const keyId = personalKeyId(this.service, entry.keyRecordId ?? entry.recordId);
    const personal = entry.changes.some((c) => c.personal);
    const key = personal ? (await this.keys.keysFor([{ keyId, owner: this.service }])).get(keyId) : undefined;
    const changes: StoredChange[] = entry.changes.map((c) => {
      if (!c.personal) return c;
      // A record already erased has no key: its values are not kept at all.
      if (!key) return { field: c.field, personal: true };
      const sealed = encrypt(key, Buffer.from(JSON.stringify({ old: c.old, new: c.new })), aad(keyId, c.field));
      return { field: c.field, personal: true, sealed: sealed.toString('base64') };
    });
    await m.query(
      `INSERT INTO audit_trail (actor, actor_roles, ip, user_agent, correlation_id, record_type, record_id, action, key_id, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        request?.user?.sub ?? entry.actor ?? 'system',
        request?.user ? [...request.user.roles] : [],
        request?.clientIp ?? null,
        request?.userAgent ?? null,
        request?.correlationId ?? null,
        entry.recordType,
        entry.recordId,
        entry.action,
        personal ? keyId : null,
        JSON.stringify(changes),
      ],
    );
  }

  /** A page of entries, newest first, as this reader may see them. */
  async list(db: DataSource | EntityManager, query: AuditQuery, reader: AuditReader): Promise<Page<AuditRecordView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.recordType) add('record_type = ?', query.recordType);
    if (query.recordId) add('record_id = ?', query.recordId);
    if (query.actor) add('actor = ?', query.actor);
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.cursor) {
      const [at, id] = cursorOf(query.cursor);
      params.push(at, id);
      where.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(query.limit + 1);
    const rows: Row[] = await db.query(
      `SELECT id::text AS id, at, at::text AS at_key, actor, actor_roles, ip, user_agent, correlation_id, record_type, record_id, action, key_id, changes
         FROM audit_trail ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const keys = await this.keys.find([...new Set(page.filter((r) => r.key_id).map((r) => r.key_id!))]);
    return {
      items: page.map((row) => view(row, keys, reader)),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.at_key, last.id]) : null,
    };
  }

  /**
   * Deletes the entries older than `before`, `batch` at a time, each batch in its own transaction holding an
   * advisory lock, so two replicas never purge at once (the other one skips). Returns how many went.
   */
  async purge(dataSource: DataSource, before: Date, batch = 1000): Promise<number> {
    let purged = 0;
    for (;;) {
      const deleted = await dataSource.transaction(async (m) => {
        const [{ locked }]: { locked: boolean }[] = await m.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [PURGE_LOCK]);
        if (!locked) return 0;
        await m.query(`SELECT set_config('${AUDIT_PURGE_SETTING}', 'on', true)`);
        const [{ n }]: { n: number }[] = await m.query(
          `WITH gone AS (DELETE FROM audit_trail WHERE id IN (SELECT id FROM audit_trail WHERE at < $1 ORDER BY at, id LIMIT $2) RETURNING id)
           SELECT count(*)::int AS n FROM gone`,
          [before, batch],
        );
        return n;
      });
      purged += deleted;
      if (deleted < batch) return purged;
    }
  }
}

function cursorOf(cursor: string): [string, string] {
  const [at, id, ...rest] = decodeCursor(cursor);
  // The instant is PostgreSQL's own text of it (microseconds kept), the id a bigint.
  if (rest.length || typeof at !== 'string' || !/^\d{4}-\d\d-\d\d [\d:.]+[+-][\d:]+$/.test(at) || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
    throw invalidCursorProblem();
  }
  return [at, id];
}

function view(row: Row, keys: Map<string, Buffer>, reader: AuditReader): AuditRecordView {
  const key = row.key_id ? keys.get(row.key_id) : undefined;
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    actorRoles: row.actor_roles,
    ip: row.ip,
    userAgent: row.user_agent,
    correlationId: row.correlation_id,
    recordType: row.record_type,
    recordId: row.record_id,
    action: row.action,
    changes: row.changes.map((c) => presentChange(c, c.personal ? open(c, row.key_id, key) : undefined, reader)),
  };
}

/** The sealed old/new of a personal change; undefined once the key is gone (erased). */
function open(change: StoredChange, keyId: string | null, key: Buffer | undefined): { old: unknown; new: unknown } | undefined {
  if (!change.sealed || !key || !keyId) return undefined;
  try {
    return JSON.parse(decrypt(key, Buffer.from(change.sealed, 'base64'), aad(keyId, change.field)).toString()) as { old: unknown; new: unknown };
  } catch {
    return undefined;
  }
}
