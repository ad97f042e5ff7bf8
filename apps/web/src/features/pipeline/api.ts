// The pipeline's reads and the stage move, through the public API. The board reads every page of the open deals
// in scope; a move shows at once (the cache is changed before the API answers) and is undone when refused.
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { etagOf, ifMatch, listAll, unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { isManager } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { moveInSummary, type Opportunity, type Summary } from './board';

export type Detail = components['schemas']['OpportunityDetailView'] & { etag: string };
export type Pipeline = components['schemas']['PipelineView'];

export interface BoardFilters {
  repId?: string;
  q?: string;
  closeFrom?: string;
  closeTo?: string;
}

export const pipelineKeys = {
  all: ['pipeline'] as const,
  pipelines: ['pipeline', 'pipelines'] as const,
  board: (f: BoardFilters) => ['pipeline', 'board', f] as const,
  summary: (pipelineId: string | undefined, repId?: string) => ['pipeline', 'summary', pipelineId, repId ?? null] as const,
  detail: (id: string) => ['pipeline', 'opportunity', id] as const,
  strategies: (id: string) => ['pipeline', 'strategies', id] as const,
};

export function usePipelines() {
  const crm = useCrm();
  return useQuery({ queryKey: pipelineKeys.pipelines, queryFn: () => unwrap(crm.GET('/api/v1/pipelines')), staleTime: 300_000 });
}

/** The user's scope: their own deals for a rep, their team's (or one rep's) for a manager. */
export function useScope(repId?: string): { repId?: string; team?: string } {
  const user = useUser();
  if (!isManager(user)) return { repId: user.id };
  return repId ? { repId } : user.team ? { team: user.team } : {};
}

export function useBoard(filters: BoardFilters) {
  const crm = useCrm();
  const scope = useScope(filters.repId);
  const q = filters.q && filters.q.trim().length >= 2 ? filters.q.trim() : undefined;
  return useQuery({
    queryKey: pipelineKeys.board({ ...filters, ...scope, q }),
    queryFn: () =>
      listAll<Opportunity>((cursor) =>
        crm.GET('/api/v1/opportunities', {
          params: { query: { status: 'open', limit: 200, cursor, ...scope, q, closeFrom: filters.closeFrom, closeTo: filters.closeTo } },
        }),
      ),
  });
}

export function useSummary(pipelineId: string | undefined, repId?: string) {
  const crm = useCrm();
  const scope = useScope(repId);
  return useQuery({
    queryKey: pipelineKeys.summary(pipelineId, scope.repId),
    enabled: !!pipelineId,
    queryFn: () => unwrap(crm.GET('/api/v1/pipeline/summary', { params: { query: { pipelineId, ...scope } } })),
  });
}

export function useOpportunity(id: string) {
  const crm = useCrm();
  return useQuery({
    queryKey: pipelineKeys.detail(id),
    queryFn: async (): Promise<Detail> => {
      const result = await crm.GET('/api/v1/opportunities/{id}', { params: { path: { id } } });
      const data = await unwrap(result);
      return { ...data, etag: etagOf(result) ?? `"${data.version}"` };
    },
  });
}

/** A write's answer is the opportunity's new state: keep it, with the version it now has. */
export function useKeepDetail() {
  const queries = useQueryClient();
  return (data: components['schemas']['OpportunityDetailView']) => {
    queries.setQueryData<Detail>(pipelineKeys.detail(data.id), { ...data, etag: `"${data.version}"` });
    void queries.invalidateQueries({ queryKey: ['pipeline', 'board'] });
    void queries.invalidateQueries({ queryKey: ['pipeline', 'summary'] });
  };
}

interface MoveInput {
  card: Opportunity;
  toStage: string;
}

/** Moves a card to another stage: it moves on the board and in the totals at once; a refusal puts both back. */
export function useMoveStage(boardKey: QueryKey, summaryKey: QueryKey) {
  const crm = useCrm();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ card, toStage }: MoveInput) =>
      unwrap(
        crm.POST('/api/v1/opportunities/{id}/stage', {
          params: { path: { id: card.id }, header: ifMatch(`"${card.version}"`) },
          body: { toStage },
        }),
      ),
    onMutate: async ({ card, toStage }) => {
      await queries.cancelQueries({ queryKey: boardKey });
      await queries.cancelQueries({ queryKey: summaryKey });
      const board = queries.getQueryData<Opportunity[]>(boardKey);
      const summary = queries.getQueryData<Summary>(summaryKey);
      queries.setQueryData<Opportunity[]>(boardKey, (cards) =>
        cards?.map((c) => (c.id === card.id ? { ...c, stage: toStage, stageEnteredAt: new Date().toISOString() } : c)),
      );
      if (summary) queries.setQueryData<Summary>(summaryKey, moveInSummary(summary, card, toStage));
      return { board, summary };
    },
    onError: (_error, _input, saved) => {
      if (saved?.board) queries.setQueryData(boardKey, saved.board);
      if (saved?.summary) queries.setQueryData(summaryKey, saved.summary);
    },
    onSuccess: (data) => {
      queries.setQueryData<Opportunity[]>(boardKey, (cards) => cards?.map((c) => (c.id === data.id ? { ...c, ...data } : c)));
      queries.setQueryData<Detail>(pipelineKeys.detail(data.id), { ...data, etag: `"${data.version}"` });
    },
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: ['pipeline', 'board'] });
      void queries.invalidateQueries({ queryKey: ['pipeline', 'summary'] });
    },
  });
}
