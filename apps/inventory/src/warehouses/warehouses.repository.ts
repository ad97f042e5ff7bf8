import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paginate, type Page, type PageQueryDto } from '@crm/http';
import type { NewWarehouse } from './warehouses.domain';
import { WarehouseEntity } from './warehouse.entity';

@Injectable()
export class WarehousesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new warehouse; null when the id is taken (by an earlier or a concurrent create). */
  async insert(m: EntityManager, warehouse: NewWarehouse): Promise<WarehouseEntity | null> {
    const inserted: unknown[] = await m.query('INSERT INTO warehouses (id, name, priority) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id', [
      warehouse.id,
      warehouse.name,
      warehouse.priority,
    ]);
    return inserted.length ? m.getRepository(WarehouseEntity).findOneByOrFail({ id: warehouse.id }) : null;
  }

  list(query: PageQueryDto): Promise<Page<WarehouseEntity>> {
    const qb = this.dataSource.getRepository(WarehouseEntity).createQueryBuilder('warehouse');
    return paginate(qb, { sort: { column: 'priority', direction: 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
