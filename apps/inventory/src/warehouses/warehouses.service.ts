import { Injectable } from '@nestjs/common';
import type { Page, PageQueryDto } from '@crm/http';
import type { CreateWarehouseDto, WarehouseDto } from './warehouses.dto';
import { decideNewWarehouse, warehouseExists } from './warehouses.domain';
import { WarehousesRepository } from './warehouses.repository';
import type { WarehouseEntity } from './warehouse.entity';

const toDto = (w: WarehouseEntity): WarehouseDto => ({ id: w.id, name: w.name, priority: w.priority, createdAt: w.createdAt.toISOString() });

@Injectable()
export class WarehousesService {
  constructor(private readonly warehouses: WarehousesRepository) {}

  async create(dto: CreateWarehouseDto): Promise<WarehouseDto> {
    const created = await this.warehouses.insert(decideNewWarehouse(dto).changes);
    if (!created) throw warehouseExists(dto.id);
    return toDto(created);
  }

  async list(query: PageQueryDto): Promise<Page<WarehouseDto>> {
    const page = await this.warehouses.list(query);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }
}
