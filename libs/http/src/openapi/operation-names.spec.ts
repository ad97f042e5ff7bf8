import { deriveOperationId, singular, summaryOf, type OperationShape } from './operation-names';

const id = (method: string, path: string, handler: string, more: Partial<OperationShape> = {}) =>
  deriveOperationId({ method, path, handler, pathHasGet: false, returnsList: false, returnsCsv: false, ...more });

describe('operation ids derived from the method, the path and the handler', () => {
  it.each([
    ['post', '/api/v1/orders', 'create', {}, 'createOrder'],
    ['get', '/api/v1/leads', 'list', { returnsList: true }, 'listLeads'],
    ['get', '/api/v1/leads/{id}', 'get', {}, 'getLead'],
    ['patch', '/api/v1/orders/{id}', 'edit', {}, 'updateOrder'],
    ['delete', '/api/v1/webhook-endpoints/{id}', 'remove', {}, 'deleteWebhookEndpoint'],
    ['put', '/api/v1/quotas/{period}/{repId}', 'put', {}, 'setQuota'],
    ['get', '/api/v1/scoring-model', 'get', {}, 'getScoringModel'],
    ['get', '/api/v1/notification-settings', 'get', {}, 'getNotificationSettings'],
  ])('%s %s (%s, %j) → %s', (method, path, handler, more, expected) => {
    expect(id(method, path, handler, more)).toBe(expected);
  });

  it('names an action on a record after the action and the record', () => {
    expect(id('post', '/api/v1/leads/{id}/qualify', 'qualify')).toBe('qualifyLead');
    expect(id('post', '/api/v1/opportunities/{id}/hand-over', 'handOver')).toBe('handOverOpportunity');
    expect(id('post', '/api/v1/opportunities/{id}/tasks/{taskId}/complete', 'completeTask')).toBe('completeOpportunityTask');
    expect(id('post', '/api/v1/merges/{mergeId}/undo', 'undo')).toBe('undoMerge');
  });

  it('lets the handler refine an action the path names with a noun', () => {
    expect(id('post', '/api/v1/orders/{id}/tracking', 'track')).toBe('trackOrder');
    expect(id('post', '/api/v1/opportunities/{id}/stage', 'moveStage')).toBe('moveOpportunityStage');
  });

  it('names an action on a collection in the plural', () => {
    expect(id('post', '/api/v1/leads/import', 'import')).toBe('importLeads');
    expect(id('post', '/api/v1/notifications/read-all', 'readAll')).toBe('readAllNotifications');
    expect(id('post', '/api/v1/opportunities/hand-over', 'handOverAll')).toBe('handOverOpportunities');
  });

  it('adds to a sub-collection (plural, or one a GET also answers) rather than acting on it', () => {
    expect(id('post', '/api/v1/leads/{id}/follow-ups', 'followUp', { pathHasGet: true })).toBe('createLeadFollowUp');
    expect(id('get', '/api/v1/leads/{id}/follow-ups', 'followUps', { returnsList: true })).toBe('listLeadFollowUps');
    expect(id('post', '/api/v1/orders/{id}/feedback', 'feedback', { pathHasGet: true })).toBe('createOrderFeedback');
    expect(id('post', '/api/v1/receivables/{id}/payments', 'recordPayment')).toBe('createReceivablePayment');
  });

  it('calls a GET that answers CSV an export', () => {
    expect(id('get', '/api/v1/leads/export', 'export', { returnsCsv: true })).toBe('exportLeads');
    expect(id('get', '/api/v1/orders', 'exportCsv', { returnsCsv: true, returnsList: true })).toBe('exportOrders');
  });

  it('lists what the path names in the plural or what answers a list, and gets the rest', () => {
    expect(id('get', '/api/v1/analytics/kpis', 'kpiTable')).toBe('listAnalyticsKpis');
    expect(id('get', '/api/v1/accounts/{id}/timeline', 'accountTimeline', { returnsList: true })).toBe('listAccountTimeline');
    expect(id('get', '/api/v1/stock', 'levels', { returnsList: true })).toBe('listStock');
    expect(id('get', '/api/v1/analytics/funnel', 'funnel')).toBe('getAnalyticsFunnel');
    expect(id('get', '/api/v1/accounts/{id}/summary', 'accountSummary')).toBe('getAccountSummary');
  });
});

describe('singular', () => {
  it.each([
    ['opportunities', 'opportunity'],
    ['webhook-deliveries', 'webhook-delivery'],
    ['follow-ups', 'follow-up'],
    ['addresses', 'address'],
    ['notification-settings', 'notification-settings'],
    ['stock', 'stock'],
  ])('%s → %s', (plural, one) => expect(singular(plural)).toBe(one));
});

describe('summaryOf', () => {
  it('reads the id as a sentence', () => expect(summaryOf('listLeadFollowUps')).toBe('List lead follow ups'));
});
