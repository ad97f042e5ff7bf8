import { useQueries, useQuery } from '@tanstack/react-query';
import { listAll, unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';

/** At most this many rows per list are read (pages of 200); a rep's day never comes near it. */
const PAGE = 200;

/**
 * The four lists of the home screen, for one rep (`repId`) or, for a manager with no rep picked, the whole team
 * the API lets them see. Each is its own query, so one slow or failing service leaves the others on screen.
 */
export function useHomeData(repId: string | undefined) {
  const crm = useCrm();
  const nextActions = useQuery({
    queryKey: ['home', 'next-actions', repId ?? 'team'],
    queryFn: () => listAll((cursor) => crm.GET('/api/v1/follow-ups/overdue', { params: { query: { repId, cursor, limit: PAGE } } })),
  });
  const waitingLeads = useQuery({
    queryKey: ['home', 'waiting-leads', repId ?? 'team'],
    // Only an assigned lead can still be waiting for its first follow-up (the first one makes it "contacted").
    queryFn: () =>
      listAll((cursor) => crm.GET('/api/v1/leads', { params: { query: { ownerId: repId, status: 'assigned', sort: 'createdAt', cursor, limit: PAGE } } })),
  });
  const pipelines = useQuery({
    queryKey: ['pipelines'],
    queryFn: () => unwrap(crm.GET('/api/v1/pipelines')),
    staleTime: 300_000,
  });
  const openOpportunities = useQuery({
    queryKey: ['home', 'open-opportunities', repId ?? 'team'],
    queryFn: () => listAll((cursor) => crm.GET('/api/v1/opportunities', { params: { query: { repId, status: 'open', cursor, limit: PAGE } } })),
  });
  const alerts = useQuery({
    queryKey: ['home', 'alerts', repId ?? 'team'],
    queryFn: () => listAll((cursor) => crm.GET('/api/v1/alerts', { params: { query: { repId, open: true, cursor, limit: PAGE } } })),
  });
  return { nextActions, waitingLeads, pipelines, openOpportunities, alerts };
}

/** The leads a list of follow-ups refers to, by id (for their names): shared with the lead page's cache. */
export function useLeadsById(ids: string[]) {
  const crm = useCrm();
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['lead', id],
      queryFn: () => unwrap(crm.GET('/api/v1/leads/{id}', { params: { path: { id } } })),
      staleTime: 60_000,
    })),
  });
}
