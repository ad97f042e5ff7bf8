import type { StageDef } from '../src/pipeline/pipeline.domain';
import type { OpportunityState } from '../src/opportunities/opportunity.domain';

/** Test data for the pure decisions: the default pipeline and an open opportunity in its first stage. */
const stage = (key: string, position: number, extra: Partial<StageDef> = {}): StageDef => ({
  key,
  name: key,
  position,
  winProbability: position / 10,
  outcome: null,
  exitCriteria: {},
  timeLimitHours: null,
  ...extra,
});

export const STAGES: StageDef[] = [
  stage('needs_analysis', 0, { winProbability: 0.1, exitCriteria: { requiredFields: ['needsReport'] } }),
  stage('proposal', 1, { winProbability: 0.3, exitCriteria: { requiredFields: ['lines'], requiredTasks: ['demo'] } }),
  stage('negotiation', 2, { winProbability: 0.6 }),
  stage('won', 3, { winProbability: 1, outcome: 'won' }),
  stage('lost', 4, { winProbability: 0, outcome: 'lost' }),
];

export const OPPORTUNITY_ID = '6f1c1d8e-6a43-4a4e-9d8e-2f0b0c4b7a11';
export const REP_ID = '0b7f4a4e-9c6e-4d0a-8f43-5a1e9b2c3d44';

export const openOpportunity = (overrides: Partial<OpportunityState> = {}): OpportunityState => ({
  id: OPPORTUNITY_ID,
  leadId: null,
  pipelineId: '2a0e8c3b-1d4f-4c5e-9a6b-7c8d9e0f1a22',
  stage: 'needs_analysis',
  status: 'open',
  repId: REP_ID,
  team: 'east',
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  accountId: null,
  contactId: null,
  region: null,
  productLine: null,
  companySize: null,
  expectedAmount: '1000.00',
  currency: 'USD',
  expectedCloseDate: '2026-06-30',
  fields: {},
  createdAt: new Date('2026-01-01T00:00:00Z'),
  version: 3,
  stages: STAGES,
  lines: [],
  tasks: [],
  closedFrom: null,
  ...overrides,
});

export const LINE = { sku: 'PUMP-200', productName: 'Pump', quantity: 3, unitPrice: '19.99', discount: '5.00', lineTotal: '54.97' };
