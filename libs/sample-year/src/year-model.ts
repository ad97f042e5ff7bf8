import type { EventEnvelope, EventName, NewEvent } from '@crm/contracts';

// The records and the randomness of the generated year (year.ts).

/** Deterministic PRNG (mulberry32): the same seed gives the same year. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

export interface GenRep {
  repId: string;
  team: string;
}
export interface GenLead {
  leadId: string;
  source: string;
  region: string;
  productLine?: string;
  capturedAt: number;
  repId?: string;
  firstFollowUpAt?: number;
  qualifiedAt?: number;
  convertedAt?: number;
  disqualifiedAt?: number;
}
export interface GenOpportunity {
  opportunityId: string;
  leadId: string | null;
  repId: string;
  team: string;
  region: string;
  productLine: string;
  currency: string;
  expectedAmount: string;
  expectedCloseDate: string;
  createdAt: number;
  stages: { stage: string; p: number; at: number }[];
  outcome: 'won' | 'lost' | 'open';
  closedAt?: number;
}
export interface GenOrder {
  orderId: string;
  opportunityId: string | null;
  repId: string;
  team: string;
  region: string;
  currency: string;
  lines: { lineId: string; sku: string; quantity: number; unitPrice: string; discount: string; lineTotal: string }[];
  total: string;
  confirmedAt: number;
  cancelledAt?: number;
  shippedAt?: number;
  payments: { paymentId: string; amount: string; outstanding: string; at: number }[];
  feedback?: { rating: number; complaint: boolean; at: number };
}

export interface YearFixture {
  reps: GenRep[];
  items: { sku: string; productLine: string }[];
  leads: GenLead[];
  opportunities: GenOpportunity[];
  orders: GenOrder[];
  /** Every event once, each stamped (envelope `time`) with the moment it describes. */
  events: EventEnvelope[];
}

export const REGIONS = ['north', 'south', 'east', 'west'];
export const TEAMS = ['alpha', 'bravo', 'charlie'];
export const PRODUCT_LINES = ['pumps', 'valves', 'controls'];
export const SOURCES = ['web_form', 'phone', 'social', 'trade_show', 'referral', 'import', 'other'] as const;
export const STAGES = [
  { stage: 'qualification', p: 0.2 },
  { stage: 'proposal', p: 0.5 },
  { stage: 'negotiation', p: 0.7 },
  { stage: 'contract', p: 0.75 },
];

export type Prng = ReturnType<typeof prng>;

/** Records an event stamped with the moment it describes. */
export type Emit = <N extends EventName>(name: N, at: number, e: NewEvent<N>) => void;
