import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { Page, PageQueryDto } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { warehouseChanges } from '../audit/inventory-audit';
import type { CreateWarehouseDto, WarehouseDto } from './warehouses.dto';
import { decideNewWarehouse, warehouseExists } from './warehouses.domain';
import { WarehousesRepository } from './warehouses.repository';
import type { WarehouseEntity } from './warehouse.entity';

const toDto = (w: WarehouseEntity): WarehouseDto => ({ id: w.id, name: w.name, priority: w.priority, createdAt: w.createdAt.toISOString() });

@Injectable()
export class WarehousesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly warehouses: WarehousesRepository,
    private readonly audit: AuditTrail,
  ) {}

  create(dto: CreateWarehouseDto): Promise<WarehouseDto> {
    return inTransaction(this.dataSource, async (m) => {
      const created = await this.warehouses.insert(m, decideNewWarehouse(dto).changes);
      if (!created) throw warehouseExists(dto.id);
      await this.audit.record(m, { recordType: 'warehouse', recordId: created.id, action: 'created', changes: warehouseChanges(created) });
      return toDto(created);
    });
  }

  async list(query: PageQueryDto): Promise<Page<WarehouseDto>> {
    const page = await this.warehouses.list(query);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }
}
