import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useCrm } from './crm';

/** The reps (and managers), for owners' names and the managers' rep filters: one cached copy for every screen. */
export function useReps(enabled = true) {
  const crm = useCrm();
  return useQuery({ queryKey: ['reps'], queryFn: () => unwrap(crm.GET('/api/v1/reps')), enabled, staleTime: 300_000 });
}

/** Rep id → name; a rep not (yet) known shows the id's first block, the system's own changes "system". */
export function useRepNames(): (id: string | null | undefined) => string {
  const reps = useReps();
  return (id) => {
    if (!id) return '–';
    return reps.data?.items.find((r) => r.id === id)?.name ?? (id === 'system' ? 'system' : id.slice(0, 8));
  };
}
