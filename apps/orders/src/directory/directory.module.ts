import { Module } from '@nestjs/common';
import { DirectoryConsumer } from './directory.consumer';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';

@Module({ controllers: [DirectoryConsumer], providers: [DirectoryRepository, DirectoryService], exports: [DirectoryService] })
export class DirectoryModule {}
