import { Module } from '@nestjs/common';
import { AccountRepository } from './account.repository';

/** The accounts' purchase history, read by scoring and written from order events. */
@Module({ providers: [AccountRepository], exports: [AccountRepository] })
export class AccountDirectoryModule {}
