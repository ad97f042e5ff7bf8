import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { OrderHandOverConsumer, OrderHandOverController } from './hand-over.controller';
import { OrderHandOverRepository } from './hand-over.repository';
import { OrderHandOverService } from './hand-over.service';

/** Handing orders over to another rep, one by one or with a rep's whole hand-over (ADR 0022). */
@Module({
  imports: [DirectoryModule],
  controllers: [OrderHandOverController, OrderHandOverConsumer],
  providers: [OrderHandOverRepository, OrderHandOverService],
})
export class OrderHandOverModule {}
