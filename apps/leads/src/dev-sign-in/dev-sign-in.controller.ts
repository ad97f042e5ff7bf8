import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { HttpProblemCode, ProblemException, Public, type Role } from '@crm/http';
import { RepsService } from '../reps/reps.service';
import { identitiesOf, LOCAL_ADMIN_ID, SIGN_IN_ROLES } from './dev-sign-in.domain';

export const DEV_SIGN_IN_SECRET = Symbol('DEV_SIGN_IN_SECRET');
const TOKEN_HOURS = 12;

export class DevSignInDto {
  @IsString() @MaxLength(64) userId: string;
  @IsIn(SIGN_IN_ROLES) role: Role;
}

/**
 * The console's sign-in on a developer's machine (DEV_SIGN_IN=true, refused in production): pick a person from
 * the reps and a role, get a local token for them. Not part of the API document: production signs in through the
 * identity provider.
 */
@ApiExcludeController()
@Controller('api/v1/dev-sign-in')
export class DevSignInController {
  private readonly jwt: JwtService;

  constructor(
    private readonly reps: RepsService,
    @Inject(DEV_SIGN_IN_SECRET) secret: string,
  ) {
    this.jwt = new JwtService({ secret });
  }

  @Public()
  @Get('identities')
  async identities() {
    return { roles: SIGN_IN_ROLES, items: identitiesOf(await this.reps.list()) };
  }

  @Public()
  @Post()
  @HttpCode(200)
  async signIn(@Body() dto: DevSignInDto) {
    const person = identitiesOf(await this.reps.list()).find((i) => i.id === dto.userId);
    if (!person) {
      throw new ProblemException({
        status: 400,
        code: HttpProblemCode.ValidationFailed,
        detail: 'no active rep has this id',
        errors: [{ field: 'userId', message: 'no active rep has this id', constraint: 'activeRep' }],
      });
    }
    const claims = { sub: person.id, roles: [dto.role], ...(person.team && person.id !== LOCAL_ADMIN_ID && { team: person.team }) };
    const token = this.jwt.sign(claims, { expiresIn: `${TOKEN_HOURS}h`, algorithm: 'HS256' });
    return { token, expiresAt: new Date(Date.now() + TOKEN_HOURS * 3_600_000).toISOString(), user: { ...claims, name: person.name } };
  }
}
