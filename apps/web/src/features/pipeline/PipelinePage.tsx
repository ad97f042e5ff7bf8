import { useCallback, useMemo, useState } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { Alert, App, Card, DatePicker, Flex, Input, Select, Space, Spin, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isManager } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { problemText } from '../../api/problem';
import { useReps } from '../../api/reps';
import { ProblemAlert, QueryState } from '../../ui/states';
import { pipelineKeys, useBoard, useMoveStage, usePipelines, useScope, useSummary, type BoardFilters } from './api';
import { groupByStage, openStages, totalsOf, unmetCriteriaOf, type ColumnTotals, type Opportunity, type Summary } from './board';
import { BoardColumn, StageTotals } from './BoardColumn';
import { cardTitle } from './OpportunityCard';
import { UnmetCriteriaList } from './UnmetCriteria';
import { NS } from './texts';

interface Refusal {
  card: Opportunity;
  toStage: string;
  error: unknown;
}

const summaryTotals = (summary: Summary | undefined, stage: string): ColumnTotals | undefined => {
  const s = summary?.stages.find((x) => x.stage === stage);
  return s && { count: s.count, totals: s.totals };
};

/** The kanban board of the user's pipeline: a column per open stage with its totals; cards move by drag or menu. */
export default function PipelinePage() {
  const { t } = useTranslation(NS);
  const user = useUser();
  const manager = isManager(user);
  const { message } = App.useApp();
  const [repId, setRepId] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const filters: BoardFilters = { repId, q, closeFrom: range?.[0]?.format('YYYY-MM-DD'), closeTo: range?.[1]?.format('YYYY-MM-DD') };
  const pipelines = usePipelines();
  const pipeline = pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];
  const board = useBoard(filters);
  const summary = useSummary(pipeline?.id, repId);
  const reps = useReps();
  const scope = useScope(repId);
  const boardKey = pipelineKeys.board({ ...filters, ...scope, q: q.trim().length >= 2 ? q.trim() : undefined });
  const move = useMoveStage(boardKey, pipelineKeys.summary(pipeline?.id, scope.repId));
  const filtered = q.trim().length >= 2 || !!filters.closeFrom || !!filters.closeTo;

  const stages = useMemo(() => openStages(pipeline?.stages ?? []), [pipeline]);
  const stageName = useCallback((key: string) => pipeline?.stages.find((s) => s.key === key)?.name ?? key, [pipeline]);
  const repName = useMemo(() => new Map((reps.data?.items ?? []).map((r) => [r.id, r.name])), [reps.data]);
  const ownerOf = useCallback((card: Opportunity) => (card.repId === user.id ? t('board.you') : (repName.get(card.repId) ?? '–')), [repName, user.id, t]);

  const onMove = useCallback(
    (card: Opportunity, toStage: string) => {
      if (card.stage === toStage) return;
      setRefusal(null);
      move.mutate(
        { card, toStage },
        {
          onSuccess: () => void message.success(t('board.moved', { name: cardTitle(card), stage: stageName(toStage) })),
          onError: (error) => setRefusal({ card, toStage, error }),
        },
      );
    },
    [move, message, t, stageName],
  );

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));
  const cards = useMemo(() => (board.data ?? []).filter((c) => !pipeline || c.pipelineId === pipeline.id), [board.data, pipeline]);
  const byId = useMemo(() => new Map(cards.map((c) => [c.id, c])), [cards]);
  const columns = useMemo(() => groupByStage(cards, stages), [cards, stages]);
  const nameOf = (id: string | number) => {
    const card = byId.get(String(id));
    return card ? cardTitle(card) : String(id);
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.dragStart', { name: nameOf(active.id) }),
    onDragOver: ({ active, over }) => (over ? t('board.dragOver', { name: nameOf(active.id), stage: stageName(String(over.id)) }) : undefined),
    onDragEnd: ({ active, over }) =>
      over ? t('board.dragEnd', { name: nameOf(active.id), stage: stageName(String(over.id)) }) : t('board.dragCancel', { name: nameOf(active.id) }),
    onDragCancel: ({ active }) => t('board.dragCancel', { name: nameOf(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const card = byId.get(String(active.id));
    if (card && over) onMove(card, String(over.id));
  };

  const unmet = refusal ? unmetCriteriaOf(refusal.error) : [];
  const repOptions = (reps.data?.items ?? []).filter((r) => r.active && (!user.team || r.team === user.team)).map((r) => ({ value: r.id, label: r.name }));

  return (
    <Flex vertical gap={12}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t('board.title')}
      </Typography.Title>
      <Space wrap>
        {manager ? (
          <Select
            aria-label={t('board.rep')}
            data-testid="rep-filter"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('board.allReps')}
            style={{ width: 220 }}
            value={repId}
            onChange={(v: string | undefined) => setRepId(v)}
            options={repOptions}
          />
        ) : null}
        <Input.Search
          aria-label={t('board.search')}
          placeholder={t('board.search')}
          allowClear
          style={{ width: 300 }}
          onSearch={(v) => setQ(v)}
          data-testid="board-search"
        />
        <DatePicker.RangePicker
          aria-label={t('board.closeRange')}
          placeholder={[t('board.closeFrom'), t('board.closeTo')]}
          value={range}
          onChange={(v) => setRange(v)}
        />
      </Space>
      {refusal ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          closable={{ 'aria-label': t('action.close', { ns: 'common' }) }}
          onClose={() => setRefusal(null)}
          data-testid="move-refused"
          title={t('board.refused', { name: cardTitle(refusal.card), stage: stageName(refusal.toStage) })}
          description={
            unmet.length ? (
              <>
                <div>{t('board.unmetIntro')}</div>
                <UnmetCriteriaList criteria={unmet} stages={pipeline?.stages ?? []} />
                <Link to={`/opportunities/${refusal.card.id}`}>{t('board.openToFix')}</Link>
              </>
            ) : (
              problemText(refusal.error)
            )
          }
        />
      ) : null}
      {filtered ? <Typography.Text type="secondary">{t('board.filteredTotals')}</Typography.Text> : null}
      <QueryState query={pipelines} empty={(list) => !list.length}>
        {() => (
          <QueryState query={board}>
            {() =>
              // The totals come with the board, so the cards do not shift under the pointer once they arrive.
              !filtered && summary.isPending ? (
                <Flex justify="center" style={{ padding: 32 }} role="status">
                  <Spin aria-label={t('state.loading', { ns: 'common' })} />
                </Flex>
              ) : (
                <DndContext
                  sensors={sensors}
                  onDragEnd={onDragEnd}
                  accessibility={{ announcements, screenReaderInstructions: { draggable: t('board.instructions') } }}
                >
                  <div role="region" aria-label={t('board.stages')} tabIndex={0} style={{ overflowX: 'auto', paddingBottom: 8 }}>
                    <Flex gap={12} align="stretch" data-testid="pipeline-board">
                      {stages.map((stage) => {
                        const columnCards = columns.get(stage.key) ?? [];
                        return (
                          <BoardColumn
                            key={stage.key}
                            stage={stage}
                            stages={stages}
                            cards={columnCards}
                            totals={filtered ? totalsOf(columnCards) : summaryTotals(summary.data, stage.key)}
                            ownerOf={ownerOf}
                            onMove={onMove}
                          />
                        );
                      })}
                    </Flex>
                  </div>
                </DndContext>
              )
            }
          </QueryState>
        )}
      </QueryState>
      {summary.isError ? <ProblemAlert error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      {!filtered && summary.data ? (
        <Flex gap={12} wrap>
          {(pipeline?.stages ?? [])
            .filter((s) => s.outcome)
            .map((s) => (
              <Card
                key={s.key}
                size="small"
                title={<h2 style={{ fontSize: 14, margin: 0 }}>{s.outcome === 'won' ? t('board.wonTotals') : t('board.lostTotals')}</h2>}
                style={{ minWidth: 220 }}
              >
                <StageTotals totals={summaryTotals(summary.data, s.key)} testId={`closed-totals-${s.key}`} />
              </Card>
            ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
