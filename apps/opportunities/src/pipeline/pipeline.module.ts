import { Module } from '@nestjs/common';
import { PipelineRepository } from './pipeline.repository';
import { PipelinesController } from './pipelines.controller';
import { PipelinesService } from './pipelines.service';

@Module({ controllers: [PipelinesController], providers: [PipelinesService, PipelineRepository], exports: [PipelinesService, PipelineRepository] })
export class PipelineModule {}
