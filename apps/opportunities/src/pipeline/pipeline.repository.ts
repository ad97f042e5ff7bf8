import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PipelineEntity, StageEntity } from '../opportunities/opportunity.entities';
import type { NewPipeline, StageDef } from './pipeline.domain';

/** Pipelines and their stages. */
@Injectable()
export class PipelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  async stagesOf(m: EntityManager, pipelineId: string): Promise<StageDef[]> {
    const rows = await m.find(StageEntity, { where: { pipelineId }, order: { position: 'ASC' } });
    return rows.map(({ key, name, position, winProbability, outcome, exitCriteria, timeLimitHours }) => ({
      key,
      name,
      position,
      winProbability,
      outcome,
      exitCriteria,
      timeLimitHours,
    }));
  }

  /** The pipeline named, else the default one. */
  find(m: EntityManager, pipelineId?: string): Promise<PipelineEntity | null> {
    return pipelineId ? m.findOne(PipelineEntity, { where: { id: pipelineId } }) : m.findOne(PipelineEntity, { where: { isDefault: true } });
  }

  async list() {
    const m = this.dataSource.manager;
    const pipelines = await m.find(PipelineEntity, { order: { createdAt: 'ASC' } });
    return Promise.all(pipelines.map(async (p) => ({ ...p, stages: await this.stagesOf(m, p.id) })));
  }

  async insert(m: EntityManager, { id, name, isDefault, stages }: NewPipeline): Promise<void> {
    await m.insert(PipelineEntity, { id, name, isDefault });
    await m.insert(
      StageEntity,
      stages.map((s) => ({ ...s, pipelineId: id })),
    );
  }
}
