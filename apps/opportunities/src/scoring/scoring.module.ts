import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ScoringController } from './scoring.controller';
import { ScoringJob } from './scoring.job';
import { ScoringService } from './scoring.service';

@Module({ imports: [PipelineModule], controllers: [ScoringController], providers: [ScoringService, ScoringJob], exports: [ScoringService] })
export class ScoringModule {}
