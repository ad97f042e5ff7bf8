import { Module } from '@nestjs/common';
import { NotificationTypesController } from './notification-types.controller';
import { ProductRoutesController } from './product-routes.controller';
import { RulesController } from './rules.controller';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

/** The routing configuration admins edit: rules, types, product routes. The fan-out reads the same tables. */
@Module({
  controllers: [RulesController, NotificationTypesController, ProductRoutesController],
  providers: [RulesRepository, RulesService],
})
export class RulesModule {}
