import { Body, Controller, Get, INestApplication, Logger, Param, Patch, Post, Query } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsNotEmpty, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import {
  accessScope,
  ApiConventionsModule,
  assertVersion,
  AuthUser,
  CurrentUser,
  decodeCursor,
  Idempotent,
  IfMatch,
  PageQueryDto,
  ProblemException,
  Public,
  ALL_ROLES,
  Role,
  Roles,
  createHttpAdapter,
} from '../src';

const SECRET = 'test-secret-that-is-at-least-32-characters-long';
const jwt = new JwtService({ secret: SECRET });

class LineDto {
  @IsString() sku: string;
  @IsInt() @Min(1) quantity: number;
}

class CreateOrderDto {
  @IsString() @IsNotEmpty() customer: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LineDto) lines: LineDto[];
}

@Controller('orders')
@Roles(...ALL_ROLES) // RolesGuard denies a route that names no roles
class OrdersController {
  @Post()
  @Idempotent()
  create(@Body() dto: CreateOrderDto, @CurrentUser() user: AuthUser) {
    return { id: 'o-1', version: 1, ...dto, repId: user.sub, linesAreDtos: dto.lines.every((line) => line instanceof LineDto) };
  }

  @Get()
  list(@Query() query: PageQueryDto) {
    if (query.cursor) decodeCursor(query.cursor);
    return { items: [], nextCursor: null, limit: query.limit };
  }

  @Get('boom')
  boom(): never {
    throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
  }

  @Get('illegal')
  illegal(): never {
    throw new ProblemException({ status: 409, code: 'ILLEGAL_TRANSITION', detail: 'A draft order cannot ship.' });
  }

  @Get('duplicate')
  duplicate(): never {
    throw new QueryFailedError('INSERT INTO orders …', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
  }

  @Patch(':id')
  update(@Param('id') id: string, @IfMatch() version: number) {
    assertVersion(4, version);
    return { id, version: 5 };
  }

  @Get('team-report')
  @Roles(Role.SalesManager, Role.Admin)
  teamReport(@CurrentUser() user: AuthUser) {
    return { scope: accessScope(user) };
  }
}

@Public()
@Controller('health')
class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

function token(claims: Partial<AuthUser> & Record<string, unknown>, options: Parameters<JwtService['sign']>[1] = {}) {
  return `Bearer ${jwt.sign({ sub: 'rep-1', roles: [Role.SalesRep], ...claims }, { expiresIn: 300, ...options })}`;
}

const PROBLEM_JSON = /^application\/problem\+json/;

describe('API conventions over HTTP', () => {
  let app: INestApplication;
  let loggedErrors: jest.SpyInstance;
  const rep = token({});

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ApiConventionsModule.forRoot({ jwtSecret: SECRET })],
      controllers: [OrdersController, HealthController],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  beforeEach(() => {
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => app.close());

  describe('problem details', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await request(app.getHttpServer()).get('/nowhere?secret=1').set('Authorization', rep);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        instance: '/nowhere',
        code: 'NOT_FOUND',
      });
    });

    it('lists every field error of an invalid body, nested ones by path', async () => {
      const res = await request(app.getHttpServer())
        .post('/orders')
        .set('Authorization', rep)
        .send({
          customer: '',
          lines: [
            { sku: 'A', quantity: 0 },
            { sku: 9, quantity: 2 },
          ],
        });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ type: 'urn:crm:problem:validation-failed', status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'customer', constraint: 'isNotEmpty' }),
          { field: 'lines[0].quantity', message: 'quantity must not be less than 1', constraint: 'min' },
          expect.objectContaining({ field: 'lines[1].sku', constraint: 'isString' }),
        ]),
      );
      expect(res.body.errors).toHaveLength(3);
    });

    it('rejects unknown fields, top-level and nested', async () => {
      const res = await request(app.getHttpServer())
        .post('/orders')
        .set('Authorization', rep)
        .send({ customer: 'ACME', discount: 50, lines: [{ sku: 'A', quantity: 1, price: 0 }] });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'discount', message: 'property discount should not exist', constraint: 'whitelistValidation' },
          { field: 'lines[0].price', message: 'property price should not exist', constraint: 'whitelistValidation' },
        ]),
      );
    });

    it('transforms a valid body into the DTO classes', async () => {
      const res = await request(app.getHttpServer())
        .post('/orders')
        .set('Authorization', rep)
        .send({ customer: 'ACME', lines: [{ sku: 'A', quantity: 1 }] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ customer: 'ACME', repId: 'rep-1', linesAreDtos: true });
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const res = await request(app.getHttpServer()).post('/orders').set('Authorization', rep).set('Content-Type', 'application/json').send('{"customer": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
    });

    it('hides an unexpected error behind a 500 problem and logs it with its stack', async () => {
      const res = await request(app.getHttpServer()).get('/orders/boom').set('Authorization', rep).set('x-correlation-id', 'corr-42');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred.',
        instance: '/orders/boom',
        code: 'INTERNAL',
        correlationId: 'corr-42',
      });
      expect(res.text).not.toMatch(/hunter2|ECONNREFUSED/);
      expect(loggedErrors).toHaveBeenCalledWith(expect.stringContaining('corr-42'), expect.stringContaining('hunter2'));
    });

    it('renders a domain ProblemException with its code', async () => {
      const res = await request(app.getHttpServer()).get('/orders/illegal').set('Authorization', rep);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        type: 'urn:crm:problem:illegal-transition',
        title: 'Conflict',
        code: 'ILLEGAL_TRANSITION',
        detail: 'A draft order cannot ship.',
      });
    });

    it('maps a unique violation from TypeORM to 409', async () => {
      const res = await request(app.getHttpServer()).get('/orders/duplicate').set('Authorization', rep);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNIQUE_VIOLATION');
    });

    it('does not echo a correlation id that is unsafe to log', async () => {
      const res = await request(app.getHttpServer()).get('/orders/illegal').set('Authorization', rep).set('x-correlation-id', 'a b\tc');
      expect(res.body.correlationId).toBeUndefined();
    });
  });

  describe('authentication and roles', () => {
    it('answers 401 without a token, with WWW-Authenticate', async () => {
      const res = await request(app.getHttpServer()).get('/orders');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('answers 401 to a token signed with another HS algorithm', async () => {
      const res = await request(app.getHttpServer())
        .get('/orders')
        .set('Authorization', token({}, { algorithm: 'HS512' }));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers 401 to an unsigned alg:none token', async () => {
      const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const exp = Math.floor(Date.now() / 1000) + 300;
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['admin'], exp })}.`;
      const res = await request(app.getHttpServer()).get('/orders').set('Authorization', `Bearer ${unsigned}`);
      expect(res.status).toBe(401);
    });

    it('answers 401 to an expired token, saying so', async () => {
      const expired = `Bearer ${jwt.sign({ sub: 'rep-1', roles: ['sales_rep'], exp: Math.floor(Date.now() / 1000) - 60 })}`;
      const res = await request(app.getHttpServer()).get('/orders').set('Authorization', expired);
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('The token has expired.');
    });

    it('answers 401 to a token signed with another secret', async () => {
      const forged = `Bearer ${new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: 'x', roles: ['admin'] }, { expiresIn: 60 })}`;
      const res = await request(app.getHttpServer()).get('/orders').set('Authorization', forged);
      expect(res.status).toBe(401);
    });

    it('answers 403 when the caller lacks every role the route names', async () => {
      const res = await request(app.getHttpServer()).get('/orders/team-report').set('Authorization', rep);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    });

    it('lets a caller with one of the roles in', async () => {
      const manager = token({ sub: 'mgr-1', roles: [Role.SalesManager], team: 'north' });
      const res = await request(app.getHttpServer()).get('/orders/team-report').set('Authorization', manager);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ scope: { kind: 'team', team: 'north' } });
    });

    it('serves a @Public() route without a token', async () => {
      const res = await request(app.getHttpServer()).get('/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('pagination query', () => {
    it('defaults limit to 50 and converts it to a number', async () => {
      const server = app.getHttpServer();
      expect((await request(server).get('/orders').set('Authorization', rep)).body.limit).toBe(50);
      expect((await request(server).get('/orders?limit=20').set('Authorization', rep)).body.limit).toBe(20);
    });

    it.each(['0', '201', 'ten', '2.5'])('rejects limit=%s with a field error', async (limit) => {
      const res = await request(app.getHttpServer()).get(`/orders?limit=${limit}`).set('Authorization', rep);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'limit' })]));
    });

    it('rejects a tampered cursor with a field error on cursor', async () => {
      const res = await request(app.getHttpServer()).get('/orders?cursor=bm90LWpzb24').set('Authorization', rep);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [expect.objectContaining({ field: 'cursor' })] });
    });
  });

  describe('ETag and If-Match', () => {
    it('sends a strong ETag for a returned resource with a version', async () => {
      const res = await request(app.getHttpServer()).post('/orders').set('Authorization', rep).send({ customer: 'ACME', lines: [] });
      expect(res.headers.etag).toBe('"1"');
    });

    it('answers 428 to an update without If-Match', async () => {
      const res = await request(app.getHttpServer()).patch('/orders/o-1').set('Authorization', rep);
      expect(res.status).toBe(428);
      expect(res.body.code).toBe('PRECONDITION_REQUIRED');
    });

    it('answers 400 to a malformed If-Match', async () => {
      const res = await request(app.getHttpServer()).patch('/orders/o-1').set('Authorization', rep).set('If-Match', 'W/"4"');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);
    });

    it('answers 412 to a stale version', async () => {
      const res = await request(app.getHttpServer()).patch('/orders/o-1').set('Authorization', rep).set('If-Match', '"3"');
      expect(res.status).toBe(412);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe('PRECONDITION_FAILED');
    });

    it('applies an update on the current version and sends the new ETag', async () => {
      const res = await request(app.getHttpServer()).patch('/orders/o-1').set('Authorization', rep).set('If-Match', '"4"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"5"');
    });
  });

  describe('OpenAPI', () => {
    it('documents the page query, the If-Match and Idempotency-Key headers', () => {
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const names = (path: string, method: 'get' | 'post' | 'patch') =>
        (document.paths[path][method]?.parameters ?? []).map((parameter) => ('name' in parameter ? parameter.name : ''));
      expect(names('/orders', 'get')).toEqual(expect.arrayContaining(['limit', 'cursor']));
      expect(names('/orders/{id}', 'patch')).toContain('If-Match');
      expect(names('/orders', 'post')).toContain('Idempotency-Key');
    });
  });
});
