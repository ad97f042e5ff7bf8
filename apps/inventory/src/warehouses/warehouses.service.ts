import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { paginate, ProblemException, type Page, type PageQueryDto } from '@crm/http';
import type { CreateWarehouseDto, WarehouseDto } from './warehouses.dto';
import { WarehouseEntity } from './warehouse.entity';

const toDto = (w: WarehouseEntity): WarehouseDto => ({ id: w.id, name: w.name, priority: w.priority, createdAt: w.createdAt.toISOString() });

@Injectable()
export class WarehousesService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateWarehouseDto): Promise<WarehouseDto> {
    const inserted: unknown[] = await this.dataSource.query(
      'INSERT INTO warehouses (id, name, priority) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id',
      [dto.id, dto.name, dto.priority ?? 100],
    );
    if (!inserted.length) {
      throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'WAREHOUSE_EXISTS', detail: `Warehouse ${dto.id} exists already.` });
    }
    return toDto(await this.dataSource.getRepository(WarehouseEntity).findOneByOrFail({ id: dto.id }));
  }

  async list(query: PageQueryDto): Promise<Page<WarehouseDto>> {
    const qb = this.dataSource.getRepository(WarehouseEntity).createQueryBuilder('warehouse');
    const page = await paginate(qb, { sort: { column: 'priority', direction: 'ASC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }
}
