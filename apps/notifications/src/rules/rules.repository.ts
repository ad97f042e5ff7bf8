import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RuleInput, StoredRule, TypeSettings } from './rules.domain';

const RULE = `id, event_type AS "eventType", match, type, audiences, channels, enabled, version, updated_at AS "updatedAt"`;

/**
 * notification_types has no version column: its ETag is the last change's time in milliseconds, and every
 * change moves it forward by at least one (`bumpUpdatedAt`), so two edits never share one.
 */
export const VERSION_FROM_UPDATED_AT = `floor(extract(epoch FROM updated_at) * 1000)::float8`;
export const BUMP_UPDATED_AT = `greatest(clock_timestamp(), updated_at + interval '1 millisecond')`;
const TYPE = `type, critical, escalate_after_minutes AS "escalateAfterMinutes", ${VERSION_FROM_UPDATED_AT} AS version`;

export interface ProductRoute {
  productLine: string;
  team: string;
  updatedAt: Date;
}

/** The only SQL of the routing configuration: rules, types and product routes. */
@Injectable()
export class RulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  rules(): Promise<StoredRule[]> {
    return this.dataSource.query(`SELECT ${RULE} FROM notification_rules ORDER BY event_type, id`);
  }

  async lockRule(m: EntityManager, id: string): Promise<StoredRule | undefined> {
    const [row] = await m.query(`SELECT ${RULE} FROM notification_rules WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  async insertRule(m: EntityManager, id: string, r: RuleInput): Promise<StoredRule> {
    const [row] = await m.query(
      `INSERT INTO notification_rules (id, event_type, match, type, audiences, channels, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${RULE}`,
      [id, r.eventType, JSON.stringify(r.match), r.type, r.audiences, r.channels, r.enabled],
    );
    return row;
  }

  async replaceRule(m: EntityManager, id: string, r: RuleInput): Promise<StoredRule> {
    const [[row]] = await m.query(
      `UPDATE notification_rules SET event_type = $2, match = $3, type = $4, audiences = $5, channels = $6, enabled = $7, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${RULE}`,
      [id, r.eventType, JSON.stringify(r.match), r.type, r.audiences, r.channels, r.enabled],
    );
    return row;
  }

  async deleteRule(m: EntityManager, id: string): Promise<void> {
    await m.query('DELETE FROM notification_rules WHERE id = $1', [id]);
  }

  types(): Promise<TypeSettings[]> {
    return this.dataSource.query(`SELECT ${TYPE} FROM notification_types ORDER BY type`);
  }

  async lockType(m: EntityManager, type: string): Promise<TypeSettings | undefined> {
    const [row] = await m.query(`SELECT ${TYPE} FROM notification_types WHERE type = $1 FOR UPDATE`, [type]);
    return row;
  }

  async saveType(m: EntityManager, t: Omit<TypeSettings, 'version'>): Promise<TypeSettings> {
    const [[row]] = await m.query(
      `UPDATE notification_types SET critical = $2, escalate_after_minutes = $3, updated_at = ${BUMP_UPDATED_AT} WHERE type = $1 RETURNING ${TYPE}`,
      [t.type, t.critical, t.escalateAfterMinutes],
    );
    return row;
  }

  productRoutes(): Promise<ProductRoute[]> {
    return this.dataSource.query(`SELECT product_line AS "productLine", team, updated_at AS "updatedAt" FROM product_routes ORDER BY product_line`);
  }

  async lockProductRoute(m: EntityManager, productLine: string): Promise<ProductRoute | undefined> {
    const [row] = await m.query(
      `SELECT product_line AS "productLine", team, updated_at AS "updatedAt" FROM product_routes WHERE product_line = $1 FOR UPDATE`,
      [productLine],
    );
    return row;
  }

  async putProductRoute(m: EntityManager, productLine: string, team: string): Promise<{ route: ProductRoute; created: boolean }> {
    // xmax = 0 only on a row this statement inserted: tells a create (201) from a replace (200).
    const [row] = await m.query(
      `INSERT INTO product_routes (product_line, team) VALUES ($1, $2)
       ON CONFLICT (product_line) DO UPDATE SET team = EXCLUDED.team, updated_at = now()
       RETURNING product_line AS "productLine", team, updated_at AS "updatedAt", (xmax = 0) AS created`,
      [productLine, team],
    );
    const { created, ...route } = row as ProductRoute & { created: boolean };
    return { route, created };
  }

  /** True when there was a route to delete. */
  async deleteProductRoute(m: EntityManager, productLine: string): Promise<boolean> {
    const [, count] = await m.query('DELETE FROM product_routes WHERE product_line = $1', [productLine]);
    return count > 0;
  }
}
