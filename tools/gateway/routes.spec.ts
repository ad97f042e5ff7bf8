import { routeTable, type OpenApiDocument } from './routes';

// The gateway's route table (tools/gateway) from a document's owners: the shortest prefix that names one service.
const doc = (paths: Record<string, [string, string][]>): OpenApiDocument => ({
  paths: Object.fromEntries(
    Object.entries(paths).map(([path, ops]) => [path, Object.fromEntries(ops.map(([method, service]) => [method, { 'x-service': service, responses: {} }]))]),
  ),
});

describe('the gateway route table', () => {
  it('routes a resource by its first segment, and a shared first segment by the next one', () => {
    const table = routeTable(
      doc({
        '/api/v1/leads': [['get', 'leads']],
        '/api/v1/leads/{id}/convert': [['post', 'leads']],
        '/api/v1/history/leads': [['post', 'leads']],
        '/api/v1/history/orders': [['post', 'orders']],
        '/api/v1/erp/webhooks/stock': [['post', 'inventory']],
        '/api/v1/erp/webhooks/payments': [['post', 'finance']],
      }),
    );
    expect(table.routes).toEqual([
      { prefix: '/api/v1/erp/webhooks/payments', service: 'finance' },
      { prefix: '/api/v1/erp/webhooks/stock', service: 'inventory' },
      { prefix: '/api/v1/history/leads', service: 'leads' },
      { prefix: '/api/v1/history/orders', service: 'orders' },
      { prefix: '/api/v1/leads', service: 'leads' },
    ]);
  });

  it('routes a path that is itself the start of another service’s paths exactly', () => {
    const table = routeTable(doc({ '/api/v1/reports': [['get', 'analytics']], '/api/v1/reports/orders': [['get', 'orders']] }));
    expect(table.routes).toEqual([
      { prefix: '/api/v1/reports', service: 'analytics', exact: true },
      { prefix: '/api/v1/reports/orders', service: 'orders' },
    ]);
  });

  it('lists the event streams and the bodies that are not JSON, for their own settings', () => {
    const document = doc({ '/api/v1/notifications/stream': [['get', 'notifications']], '/api/v1/leads/import': [['post', 'leads']] });
    document.paths['/api/v1/notifications/stream'].get.responses = { '200': { content: { 'text/event-stream': {} } } };
    document.paths['/api/v1/leads/import'].post.requestBody = { content: { 'text/csv': {} } };
    const table = routeTable(document);
    expect(table.streams).toEqual([{ path: '/api/v1/notifications/stream', service: 'notifications' }]);
    expect(table.uploads).toEqual([{ path: '/api/v1/leads/import', service: 'leads' }]);
  });

  it('refuses an operation without an owner, and owners told apart only by a path parameter', () => {
    expect(() => routeTable(doc({ '/api/v1/leads': [['get', '']] }))).toThrow(/names no owner/);
    expect(() => routeTable(doc({ '/api/v1/things/{id}/a': [['get', 'leads']], '/api/v1/things/{id}/b': [['get', 'orders']] }))).toThrow(/path parameter/);
  });
});
