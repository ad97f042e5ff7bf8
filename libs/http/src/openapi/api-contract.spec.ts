import { Body, Controller, Delete, Get, Headers, HttpCode, Module, Param, Post, Put, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  DocumentBuilder,
  SwaggerModule,
} from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { Role } from '../auth/role.enum';
import { Roles } from '../auth/roles.decorator';
import { IfMatch } from '../concurrency/if-match.decorator';
import { createHttpAdapter } from '../limits/http-limits';
import { ApiPageResponse } from '../pagination/api-page-response.decorator';
import { ProblemDetailsDto } from '../problem/problem-details.dto';
import { applyApiContract } from './api-contract';
import { ApiOmitProblems, collectRouteFacts } from './route-facts';

class LineDto {
  @ApiProperty({ example: 'PUMP-200' }) sku: string;
  @ApiProperty({ example: 2 }) quantity: number;
}
class CreateWidgetDto {
  @ApiProperty({ example: '水泵 200 W' }) name: string;
  @ApiPropertyOptional({ enum: ['a', 'b'] }) grade?: string;
  @ApiPropertyOptional() note?: string;
  @ApiProperty({ type: [LineDto] }) lines: LineDto[];
}
class WidgetView {
  @ApiProperty() id: string;
}
class NoExampleDto {
  @ApiProperty() name: string;
}

@ApiTags('widgets')
@Controller('api/v1/widgets')
@Roles(Role.Admin, Role.SalesManager)
class WidgetsController {
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false }) // what @Idempotent() documents (its interceptor needs the module)
  @ApiOkResponse({ type: WidgetView })
  create(@Body() _dto: CreateWidgetDto) {}

  @Get()
  @ApiPageResponse(WidgetView)
  list() {}

  @Post(':id/approve')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version approved' })
  @ApiOkResponse({ type: WidgetView })
  @ApiConflictResponse({ description: 'NOT_DRAFT: only a draft is approved' })
  approve(@Param('id') _id: string, @Headers('if-match') _ifMatch?: string) {}

  @Put(':id')
  @ApiOmitProblems(409)
  @ApiOkResponse({ type: WidgetView })
  replace(@Param('id') _id: string, @Body() _dto: NoExampleDto, @IfMatch() _expected: number) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id') _id: string) {}
}

@ApiTags('intake')
@Controller('api/v1/intake')
class IntakeController {
  @Post('form')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: WidgetView })
  submit(@Body() _dto: CreateWidgetDto) {}
}

@Module({ controllers: [WidgetsController, IntakeController] })
class WidgetsModule {}

type Op = Record<string, any>;

describe('the API contract rules', () => {
  let app: INestApplication;
  let doc: Record<string, any>;
  const op = (method: string, path: string): Op => doc.paths[path][method];

  beforeAll(async () => {
    app = await NestFactory.create(WidgetsModule, createHttpAdapter(), { preview: true, logger: false });
    const raw = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().addSecurityRequirements('bearer').build(), {
      extraModels: [ProblemDetailsDto],
    });
    doc = applyApiContract(raw, collectRouteFacts(app), { tags: { widgets: 'Widgets to approve' } });
  });
  afterAll(() => app.close());

  it('derives readable ids and summaries, and keeps each unique', () => {
    expect(op('post', '/api/v1/widgets').operationId).toBe('createWidget');
    expect(op('get', '/api/v1/widgets').operationId).toBe('listWidgets');
    expect(op('post', '/api/v1/widgets/{id}/approve').operationId).toBe('approveWidget');
    expect(op('put', '/api/v1/widgets/{id}').operationId).toBe('setWidget');
    expect(op('post', '/api/v1/widgets/{id}/approve').summary).toBe('Approve widget');
  });

  it('marks public routes with an empty security requirement and without 401/403', () => {
    const submit = op('post', '/api/v1/intake/form');
    expect(submit.security).toEqual([]);
    expect(Object.keys(submit.responses)).not.toEqual(expect.arrayContaining(['401']));
    expect(Object.keys(submit.responses)).not.toEqual(expect.arrayContaining(['403']));
    expect(op('get', '/api/v1/widgets').security).toBeUndefined(); // the document's bearer requirement applies
  });

  it('documents each header once, whatever its case', () => {
    const headers = op('post', '/api/v1/widgets/{id}/approve').parameters.filter((p: Op) => p.in === 'header');
    expect(headers).toEqual([expect.objectContaining({ name: 'If-Match', description: 'ETag of the version approved' })]);
  });

  it('derives the error answers from what the route is, all as problem+json', () => {
    const statuses = (method: string, path: string) => Object.keys(op(method, path).responses);
    expect(statuses('post', '/api/v1/widgets')).toEqual(['200', '400', '401', '403', '409', '413', '415', '422', '429', '503']);
    expect(statuses('get', '/api/v1/widgets')).toEqual(['200', '401', '403', '429', '503']);
    expect(statuses('post', '/api/v1/widgets/{id}/approve')).toEqual(['200', '400', '401', '403', '404', '409', '412', '429', '503']);
    // PUT names its own id (no 404); If-Match required (412, 428); 409 left out by @ApiOmitProblems.
    expect(statuses('put', '/api/v1/widgets/{id}')).toEqual(['200', '400', '401', '403', '412', '413', '415', '428', '429', '503']);
    expect(statuses('post', '/api/v1/intake/form')).toEqual(['200', '400', '413', '415', '429', '503']);
    for (const [path, item] of Object.entries<Op>(doc.paths)) {
      for (const [method, operation] of Object.entries<Op>(item)) {
        for (const [status, response] of Object.entries<Op>(operation.responses)) {
          if (Number(status) < 400) continue;
          const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
          expect([`${method} ${path} ${status}`, resolved.content]).toEqual([
            `${method} ${path} ${status}`,
            { 'application/problem+json': expect.objectContaining({ schema: { $ref: '#/components/schemas/Problem' } }) },
          ]);
        }
      }
    }
  });

  it('names the roles in the 403, keeps the words of an error the route documents itself and adds up conflicts', () => {
    const approve = op('post', '/api/v1/widgets/{id}/approve');
    expect(approve.responses['403'].description).toBe('Not one of the roles admin, sales_manager (FORBIDDEN)');
    expect(approve.responses['409'].description).toBe(
      "NOT_DRAFT: only a draft is approved; Conflict: the record's state does not allow this (the `code` says why, e.g. ILLEGAL_TRANSITION)",
    );
    expect(doc.components.schemas.Problem.properties.errors).toBeDefined();
  });

  it("assembles a request body's example from its properties' examples, or leaves it out when a required one has none", () => {
    // `grade` is optional with no example: left out rather than made up; `note` has none either.
    expect(op('post', '/api/v1/widgets').requestBody.content['application/json'].example).toEqual({
      name: '水泵 200 W',
      lines: [{ sku: 'PUMP-200', quantity: 2 }],
    });
    expect(op('put', '/api/v1/widgets/{id}').requestBody.content['application/json'].example).toBeUndefined();
  });

  it('describes the tags it knows and lists the others bare', () => {
    expect(doc.tags).toEqual([{ name: 'widgets', description: 'Widgets to approve' }, { name: 'intake' }]);
  });
});
