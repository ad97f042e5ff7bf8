import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@crm/domain';
import { inTransaction } from '@crm/persistence';
import type { CreatePipelineDto } from './pipeline.dto';
import { decideNewPipeline, type StageDef } from './pipeline.domain';
import { PipelineRepository } from './pipeline.repository';

@Injectable()
export class PipelinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipelines: PipelineRepository,
  ) {}

  stagesOf(m: EntityManager, pipelineId: string): Promise<StageDef[]> {
    return this.pipelines.stagesOf(m, pipelineId);
  }

  /** The pipeline a new opportunity joins: the one named, else the default. */
  async resolve(m: EntityManager, pipelineId?: string): Promise<{ id: string; stages: StageDef[] }> {
    const pipeline = await this.pipelines.find(m, pipelineId);
    if (!pipeline) throw DomainError.invalidField('pipelineId', `no pipeline ${pipelineId ?? '(default)'}`);
    return { id: pipeline.id, stages: await this.pipelines.stagesOf(m, pipeline.id) };
  }

  list() {
    return this.pipelines.list();
  }

  async create(dto: CreatePipelineDto) {
    const { changes } = decideNewPipeline(randomUUID(), dto.name, dto.stages);
    await inTransaction(this.dataSource, (m) => this.pipelines.insert(m, changes));
    return changes;
  }
}
