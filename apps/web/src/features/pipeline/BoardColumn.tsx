import { useDroppable } from '@dnd-kit/core';
import { Empty, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/useFormat';
import type { ColumnTotals, Opportunity, Stage } from './board';
import { OpportunityCard } from './OpportunityCard';
import { NS } from './texts';

interface Props {
  stage: Stage;
  stages: Stage[];
  cards: Opportunity[];
  totals: ColumnTotals | undefined;
  ownerOf: (card: Opportunity) => string;
  onMove: (card: Opportunity, toStage: string) => void;
}

/** The totals of a stage: how many deals, and the amount per currency (exact). */
export function StageTotals({ totals, testId }: { totals: ColumnTotals | undefined; testId?: string }) {
  const { t } = useTranslation(NS);
  const format = useFormat();
  return (
    <div data-testid={testId}>
      <Typography.Text type="secondary" data-testid="stage-count" data-count={totals?.count ?? 0}>
        {t('board.deals', { count: totals?.count ?? 0 })}
      </Typography.Text>
      {(totals?.totals ?? []).map((total) => (
        <div key={total.currency} data-testid="stage-amount" data-currency={total.currency} data-amount={total.amount}>
          <Typography.Text strong>{format.money(total.amount, total.currency)}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** One stage: its header with the totals, and its cards; a drop target for cards of other stages. */
export function BoardColumn({ stage, stages, cards, totals, ownerOf, onMove }: Props) {
  const { t } = useTranslation(NS);
  const { setNodeRef, isOver } = useDroppable({ id: stage.key, data: { stage } });
  const headingId = `stage-${stage.key}`;
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      data-testid="pipeline-column"
      data-stage={stage.key}
      style={{
        flex: '0 0 260px',
        background: isOver ? '#e6f4ff' : '#f5f5f5',
        outline: isOver ? '2px dashed #1677ff' : 'none',
        borderRadius: 8,
        padding: 8,
        display: 'flex',
        flexDirection: 'column',
        gap: 8,
        minHeight: 240,
      }}
    >
      <header style={{ padding: '0 4px' }}>
        <Typography.Title level={2} id={headingId} style={{ fontSize: 15, margin: 0 }}>
          {stage.name}
        </Typography.Title>
        <StageTotals totals={totals} testId="stage-totals" />
      </header>
      {cards.length ? (
        <Flex vertical gap={8}>
          {cards.map((card) => (
            <OpportunityCard key={card.id} card={card} stages={stages} owner={ownerOf(card)} onMove={onMove} />
          ))}
        </Flex>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.emptyColumn')} />
      )}
    </section>
  );
}
