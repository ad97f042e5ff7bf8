import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeApiDocuments } from './api-merge';

const problem = { description: 'Not found', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
function doc(paths: OpenAPIObject['paths'], tags: { name: string; description?: string }[]): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    tags,
    security: [{ bearer: [] }],
    components: { schemas: { Problem: { type: 'object', properties: { code: { type: 'string' } } } }, responses: { NotFound: problem } },
  };
}
const op = (operationId: string, tag: string) => ({ operationId, tags: [tag], responses: { 200: { description: 'OK' } } });
const info = { title: 'CRM API', version: '1' };

describe('mergeApiDocuments', () => {
  const leads = doc({ '/api/v1/leads': { get: op('listLeads', 'leads') }, '/health/live': { get: op('getHealthLive', 'Health') } }, [
    { name: 'leads', description: 'Leads' },
    { name: 'Health', description: 'Probes' },
  ]);
  const orders = doc({ '/api/v1/orders': { get: op('listOrders', 'orders') } }, [{ name: 'orders', description: 'Orders' }]);

  it('joins the services, owner-tagged, without the operator routes, with tags grouped per service', () => {
    const merged = mergeApiDocuments({ leads, orders }, info);
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/leads', '/api/v1/orders']);
    expect(merged.paths['/api/v1/orders'].get).toMatchObject({ operationId: 'listOrders', 'x-service': 'orders' });
    expect(merged.tags).toEqual([
      { name: 'leads', description: 'Leads' },
      { name: 'orders', description: 'Orders' },
    ]);
    expect((merged as unknown as Record<string, unknown>)['x-tagGroups']).toEqual([
      { name: 'leads', tags: ['leads'] },
      { name: 'orders', tags: ['orders'] },
    ]);
    expect(merged.components?.responses?.NotFound).toEqual(problem);
    expect(merged.info.license).toEqual({ name: 'MIT', url: 'https://opensource.org/licenses/MIT' });
  });

  it('refuses one operation id in two services', () => {
    const clash = doc({ '/api/v1/orders': { get: op('listLeads', 'orders') } }, [{ name: 'orders', description: 'Orders' }]);
    expect(() => mergeApiDocuments({ leads, orders: clash }, info)).toThrow('operation id listLeads: leads (GET /api/v1/leads) and orders');
  });

  it('refuses a tag, a schema or a shared response defined differently by two services', () => {
    const otherTag = doc({ '/api/v1/orders': { get: op('listOrders', 'leads') } }, [{ name: 'leads', description: 'Other words' }]);
    expect(() => mergeApiDocuments({ leads, orders: otherTag }, info)).toThrow('tag leads: described differently');
    const otherResponse = { ...orders, components: { ...orders.components, responses: { NotFound: { description: 'Gone' } } } };
    expect(() => mergeApiDocuments({ leads, orders: otherResponse }, info)).toThrow('responses NotFound: defined differently');
  });
});
