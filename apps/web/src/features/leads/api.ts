// The leads screens' reads and writes through the typed client; each mutation refreshes what it changed.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { usePreferences } from '../../app/preferences';
import { apiParams, dayStart, queryRecord, type LeadQuery } from './query';

export type Lead = components['schemas']['LeadView'];
export type LeadDetail = components['schemas']['LeadDetailView'];
export type Rep = components['schemas']['RepView'];
export type SavedView = components['schemas']['SavedViewView'];
export type ImportResult = components['schemas']['ImportResultView'];

type ListQuery = NonNullable<NonNullable<Parameters<ReturnType<typeof useCrm>['GET']>[1]>['params']>;
const PAGE = 50;

export function useLeadParams(query: LeadQuery) {
  const { timeZone } = usePreferences();
  return apiParams(query, (day) => dayStart(day, timeZone));
}

export function useLeads(query: LeadQuery) {
  const crm = useCrm();
  const params = useLeadParams(query);
  return useInfiniteQuery({
    queryKey: ['leads', 'list', params],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(crm.GET('/api/v1/leads', { params: { query: { ...params, limit: PAGE, cursor: pageParam } as ListQuery['query'] } as never })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useSavedViews() {
  const crm = useCrm();
  return useQuery({
    queryKey: ['saved-views', 'leads'],
    queryFn: () => unwrap(crm.GET('/api/v1/saved-views', { params: { query: { list: 'leads' } } })).then((d) => d.items),
  });
}

export function useSaveView() {
  const crm = useCrm();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; shared: boolean; query: LeadQuery }) =>
      unwrap(crm.POST('/api/v1/saved-views', { body: { list: 'leads', name: body.name, shared: body.shared, query: queryRecord(body.query) } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-views', 'leads'] }),
  });
}

export function useDeleteView() {
  const crm = useCrm();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(crm.DELETE('/api/v1/saved-views/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-views', 'leads'] }),
  });
}

/** The lead with the ETag its actions send back as If-Match. */
export function useLead(id: string) {
  const crm = useCrm();
  return useQuery({
    queryKey: ['leads', 'one', id],
    queryFn: async () => {
      const result = await crm.GET('/api/v1/leads/{id}', { params: { path: { id } } });
      const lead = await unwrap(result);
      return { lead, etag: result.response.headers.get('ETag') ?? `"${lead.version}"` };
    },
    // The opportunity of a conversion is created by its own service and linked moments later: ask until it is.
    refetchInterval: (q) => (q.state.data?.lead.status === 'converted' && !q.state.data.lead.opportunityId ? 1000 : false),
  });
}

export function useFollowUps(id: string) {
  const crm = useCrm();
  return useQuery({
    queryKey: ['leads', 'follow-ups', id],
    queryFn: () => unwrap(crm.GET('/api/v1/leads/{id}/follow-ups', { params: { path: { id } } })).then((d) => d.items),
  });
}

/** Whatever a change to one lead touches: the lead, its log, its history, and every list it may appear in. */
export function useRefreshLead(id: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['leads', 'one', id] }),
      client.invalidateQueries({ queryKey: ['leads', 'follow-ups', id] }),
      client.invalidateQueries({ queryKey: ['leads', 'list'] }),
      client.invalidateQueries({ queryKey: ['audit', 'leads', 'lead', id] }),
    ]);
}
