import { Module } from '@nestjs/common';
import { CustomersConsumer } from './customers.consumer';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({ controllers: [CustomersConsumer], providers: [CustomersRepository, CustomersService], exports: [CustomersService] })
export class CustomersModule {}
