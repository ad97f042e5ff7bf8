import { repaired } from './repair-document';

const ok = { '200': { description: '' } };

describe('the merged document as the client generator types it', () => {
  it('keeps a unique operation id and everything else as it is', () => {
    const doc = { openapi: '3.0.0', paths: { '/api/v1/leads': { get: { operationId: 'listLeads', responses: ok }, parameters: [] } } };
    expect(repaired(doc)).toEqual(doc);
  });

  it('drops an operation id that two operations share, on both of them', () => {
    const doc = repaired({
      paths: {
        '/api/v1/assignment-rules': { get: { operationId: 'RulesController_list', responses: ok }, post: { operationId: 'createRule', responses: ok } },
        '/api/v1/notification-rules': { get: { operationId: 'RulesController_list', responses: ok } },
      },
    });
    expect(doc.paths['/api/v1/assignment-rules']).toEqual({ get: { responses: ok }, post: { operationId: 'createRule', responses: ok } });
    expect(doc.paths['/api/v1/notification-rules']).toEqual({ get: { responses: ok } });
  });

  it('keeps one parameter per header name, the documented one, when two differ only in case', () => {
    const id = { name: 'id', in: 'path', required: true };
    const documented = { name: 'If-Match', in: 'header', required: false, description: 'ETag of the version acted on' };
    const doc = repaired({
      paths: { '/api/v1/leads/{id}/qualify': { post: { parameters: [id, { name: 'if-match', in: 'header', required: true }, documented], responses: ok } } },
    });
    expect(doc.paths['/api/v1/leads/{id}/qualify']?.post).toEqual({ parameters: [id, documented], responses: ok });
  });
});
