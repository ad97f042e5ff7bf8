import { Module, type DynamicModule } from '@nestjs/common';
import { RepsModule } from '../reps/reps.module';
import { DEV_SIGN_IN_SECRET, DevSignInController } from './dev-sign-in.controller';

@Module({})
export class DevSignInModule {
  /** Only with a local JWT secret and outside production: AppModule checks both before it imports this. */
  static forRoot(jwtSecret: string): DynamicModule {
    return {
      module: DevSignInModule,
      imports: [RepsModule],
      controllers: [DevSignInController],
      providers: [{ provide: DEV_SIGN_IN_SECRET, useValue: jwtSecret }],
    };
  }
}
