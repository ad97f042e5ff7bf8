import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HttpProblemCode, ProblemException } from '@crm/http';
import { PipelineEntity, StageEntity } from '../opportunities/opportunity.entities';
import type { CreatePipelineDto } from './pipeline.dto';
import { validatePipeline, type StageDef } from './pipeline.domain';

@Injectable()
export class PipelinesService {
  constructor(private readonly dataSource: DataSource) {}

  async stagesOf(m: EntityManager, pipelineId: string): Promise<StageDef[]> {
    const rows = await m.find(StageEntity, { where: { pipelineId }, order: { position: 'ASC' } });
    return rows.map(({ key, name, position, winProbability, outcome, exitCriteria, timeLimitHours }) => ({
      key, name, position, winProbability, outcome, exitCriteria, timeLimitHours,
    }));
  }

  /** The pipeline a new opportunity joins: the one named, else the default. */
  async resolve(m: EntityManager, pipelineId?: string): Promise<{ id: string; stages: StageDef[] }> {
    const pipeline = pipelineId
      ? await m.findOne(PipelineEntity, { where: { id: pipelineId } })
      : await m.findOne(PipelineEntity, { where: { isDefault: true } });
    if (!pipeline) {
      throw new ProblemException({
        status: HttpStatus.BAD_REQUEST,
        code: HttpProblemCode.ValidationFailed,
        detail: 'The request has invalid fields.',
        errors: [{ field: 'pipelineId', message: `no pipeline ${pipelineId ?? '(default)'}`, constraint: 'domain' }],
      });
    }
    return { id: pipeline.id, stages: await this.stagesOf(m, pipeline.id) };
  }

  async list() {
    const pipelines = await this.dataSource.manager.find(PipelineEntity, { order: { createdAt: 'ASC' } });
    return Promise.all(pipelines.map(async (p) => ({ ...p, stages: await this.stagesOf(this.dataSource.manager, p.id) })));
  }

  async create(dto: CreatePipelineDto) {
    const stages = dto.stages.map((s, position) => ({
      key: s.key, name: s.name, position, winProbability: s.winProbability, outcome: s.outcome ?? null,
      exitCriteria: s.exitCriteria ?? {}, timeLimitHours: s.timeLimitHours ?? null,
    }));
    const problems = validatePipeline(stages);
    if (problems.length) {
      throw new ProblemException({
        status: HttpStatus.BAD_REQUEST,
        code: HttpProblemCode.ValidationFailed,
        detail: 'The pipeline is not usable.',
        errors: problems.map((p) => ({ field: p.split(':')[0], message: p.slice(p.indexOf(':') + 2), constraint: 'domain' })),
      });
    }
    const id = randomUUID();
    await this.dataSource.transaction(async (m) => {
      await m.insert(PipelineEntity, { id, name: dto.name, isDefault: false });
      await m.insert(StageEntity, stages.map((s) => ({ ...s, pipelineId: id })));
    });
    return { id, name: dto.name, isDefault: false, stages };
  }
}
