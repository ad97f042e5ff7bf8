import { Module } from '@nestjs/common';
import { AccountDirectoryModule } from '../accounts/account-directory.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ScoringController } from './scoring.controller';
import { ScoringJob } from './scoring.job';
import { ScoringRepository } from './scoring.repository';
import { ScoringService } from './scoring.service';

@Module({
  imports: [PipelineModule, AccountDirectoryModule],
  controllers: [ScoringController],
  providers: [ScoringService, ScoringRepository, ScoringJob],
  exports: [ScoringService],
})
export class ScoringModule {}
