import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BUMP_UPDATED_AT, VERSION_FROM_UPDATED_AT } from '../rules/rules.repository';
import type { DirectoryScope, Recipient, StoredRecipient } from './recipients.domain';

const COLUMNS = `user_id AS "userId", name, email, roles, team, manager_id AS "managerId", locale, time_zone AS "timeZone",
  CASE WHEN quiet_start IS NULL THEN NULL ELSE json_build_object('start', to_char(quiet_start, 'HH24:MI'), 'end', to_char(quiet_end, 'HH24:MI')) END AS "quietHours",
  to_char(digest_at, 'HH24:MI') AS "digestAt", active, source, ${VERSION_FROM_UPDATED_AT} AS version`;

const values = (r: Recipient) => [
  r.userId,
  r.name,
  r.email,
  r.roles,
  r.team,
  r.managerId,
  r.locale,
  r.timeZone,
  r.quietHours?.start ?? null,
  r.quietHours?.end ?? null,
  r.digestAt,
  r.active,
  r.source,
];

/** The only SQL of the recipient directory and of each user's delivery settings (both live in recipients). */
@Injectable()
export class RecipientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<StoredRecipient | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM recipients WHERE user_id = $1`, [userId]);
    return row;
  }

  async lock(m: EntityManager, userId: string): Promise<StoredRecipient | undefined> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM recipients WHERE user_id = $1 FOR UPDATE`, [userId]);
    return row;
  }

  async insert(m: EntityManager, r: Recipient): Promise<StoredRecipient> {
    const [row] = await m.query(
      `INSERT INTO recipients (user_id, name, email, roles, team, manager_id, locale, time_zone, quiet_start, quiet_end, digest_at, active, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
      values(r),
    );
    return row;
  }

  async replace(m: EntityManager, r: Recipient): Promise<StoredRecipient> {
    const [[row]] = await m.query(
      `UPDATE recipients SET name = $2, email = $3, roles = $4, team = $5, manager_id = $6, locale = $7, time_zone = $8, quiet_start = $9, quiet_end = $10,
              digest_at = $11, active = $12, source = $13, updated_at = ${BUMP_UPDATED_AT}
        WHERE user_id = $1 RETURNING ${COLUMNS}`,
      values(r),
    );
    return row;
  }

  /** One page of the directory in user id order, after `after`; one row more than asked tells there is a next page. */
  list(scope: Exclude<DirectoryScope, { kind: 'none' }>, limit: number, after: string | null): Promise<StoredRecipient[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM recipients WHERE ($1::text IS NULL OR team = $1) AND ($2::text IS NULL OR user_id > $2) ORDER BY user_id LIMIT $3`,
      [scope.team ?? null, after, limit + 1],
    );
  }
}
