// What the rep's day is made of, decided from what the API answered: pure, so the screen and its tests agree.
import type { components } from '@crm/api-client';

type Lead = components['schemas']['LeadView'];
type Opportunity = components['schemas']['OpportunityView'];
type Pipeline = components['schemas']['PipelineView'];

const HOUR = 3_600_000;
/** How far ahead a first-follow-up deadline counts as "about to breach". */
export const SLA_HORIZON_HOURS = 24;

/** Milliseconds until an instant (negative once passed). */
export const msUntil = (iso: string, now: number) => Date.parse(iso) - now;

/**
 * Leads still waiting for their first follow-up whose deadline falls within the horizon (or has passed: those are
 * the most urgent), earliest deadline first.
 */
export function leadsNearBreach(leads: Lead[], now: number, horizonHours = SLA_HORIZON_HOURS): Lead[] {
  return leads
    .filter((l) => (l.status === 'assigned' || l.status === 'new') && !l.firstFollowedUpAt && l.firstFollowUpDueAt)
    .filter((l) => msUntil(l.firstFollowUpDueAt as string, now) <= horizonHours * HOUR)
    .sort((a, b) => Date.parse(a.firstFollowUpDueAt as string) - Date.parse(b.firstFollowUpDueAt as string));
}

export interface StageOverdue {
  opportunity: Opportunity;
  stageName: string;
  limitHours: number;
  dueAt: string;
}

/**
 * Open opportunities that have stayed in their stage past the stage's time limit (the pipeline's
 * `timeLimitHours`, what the stage-overdue reminder uses), longest overdue first.
 */
export function stageOverdue(opportunities: Opportunity[], pipelines: Pipeline[], now: number): StageOverdue[] {
  const stages = new Map(pipelines.flatMap((p) => p.stages.map((s) => [`${p.id}:${s.key}`, s] as const)));
  const rows: StageOverdue[] = [];
  for (const o of opportunities) {
    if (o.status !== 'open') continue;
    const stage = stages.get(`${o.pipelineId}:${o.stage}`);
    if (!stage?.timeLimitHours) continue;
    const due = Date.parse(o.stageEnteredAt) + stage.timeLimitHours * HOUR;
    if (due <= now) rows.push({ opportunity: o, stageName: stage.name, limitHours: stage.timeLimitHours, dueAt: new Date(due).toISOString() });
  }
  return rows.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/** "3 d 4 h" / "45 min": a span of time, coarse enough to read at a glance. */
export function spanParts(ms: number): { days: number; hours: number; minutes: number } {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / (24 * HOUR));
  const hours = Math.floor((abs % (24 * HOUR)) / HOUR);
  const minutes = Math.floor((abs % HOUR) / 60_000);
  return { days, hours, minutes };
}

/** Whether an instant falls on today's calendar date (`YYYY-MM-DD`, in the chosen zone) or before it. */
export function dueDay(iso: string, today: string, dayOf: (iso: string) => string): 'today' | 'earlier' | 'later' {
  const day = dayOf(iso);
  return day === today ? 'today' : day < today ? 'earlier' : 'later';
}
