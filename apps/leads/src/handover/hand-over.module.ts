import { Module } from '@nestjs/common';
import { LeadHandOverController, RepHandOverController } from './hand-over.controller';
import { HandOverRepository } from './hand-over.repository';
import { HandOverService } from './hand-over.service';

/** Handing leads over to another rep, one by one or a rep's all at once (ADR 0022). */
@Module({ controllers: [LeadHandOverController, RepHandOverController], providers: [HandOverRepository, HandOverService] })
export class HandOverModule {}
