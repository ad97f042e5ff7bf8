import { Module } from '@nestjs/common';
import { PreferencesController } from './preferences.controller';
import { PreferencesRepository } from './preferences.repository';
import { PreferencesService } from './preferences.service';

/** Each user's choices; the fan-out reads them (preferences) and ignores an "off" for a critical type. */
@Module({ controllers: [PreferencesController], providers: [PreferencesRepository, PreferencesService] })
export class PreferencesModule {}
