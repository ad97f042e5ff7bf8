import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SavedViewList, SavedViewRow, Viewer } from './saved-view.domain';
import { SavedViewEntity } from './saved-view.entity';

const UNIQUE_VIOLATION = '23505';

/** The saved_views table. */
@Injectable()
export class SavedViewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The viewer's own views of a list and those their team shares, by name. */
  visible(viewer: Viewer, list: SavedViewList): Promise<SavedViewEntity[]> {
    return this.dataSource.query(
      `SELECT id, owner_id AS "ownerId", team, list, name, query, shared, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM saved_views
        WHERE list = $1 AND (owner_id = $2 OR (shared AND team IS NOT NULL AND team = $3))
        ORDER BY lower(name), id
        LIMIT 500`,
      [list, viewer.sub, viewer.team],
    );
  }

  find(id: string): Promise<SavedViewEntity | null> {
    return this.dataSource.getRepository(SavedViewEntity).findOne({ where: { id } });
  }

  /** Stores a view; false when the owner already has one of that name on that list. */
  async insert(v: SavedViewRow): Promise<SavedViewEntity | false> {
    try {
      await this.dataSource.query(
        `INSERT INTO saved_views (id, owner_id, team, list, name, query, shared, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [v.id, v.ownerId, v.team, v.list, v.name, JSON.stringify(v.query), v.shared, v.createdAt],
      );
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
    return this.dataSource.getRepository(SavedViewEntity).findOneOrFail({ where: { id: v.id } });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM saved_views WHERE id = $1', [id]);
  }
}
