// One topic per aggregate stream, every event of that aggregate on it; the Kafka key is the event's subject.
export const Topics = {
  leads: 'crm.leads.v1',
  reps: 'crm.reps.v1',
  opportunities: 'crm.opportunities.v1',
  orders: 'crm.orders.v1',
  inventory: 'crm.inventory.v1',
  finance: 'crm.finance.v1',
  customers: 'crm.customers.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export const dlqTopic = (topic: string): string => `${topic}.dlq`;
