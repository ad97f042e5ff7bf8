import { memo } from 'react';
import { ClockCircleOutlined, HolderOutlined, SwapOutlined } from '@ant-design/icons';
import { useDraggable } from '@dnd-kit/core';
import { Button, Card, Dropdown, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../ui/useFormat';
import { overdueInStage, type Opportunity, type Stage } from './board';
import { NS } from './texts';

interface Props {
  card: Opportunity;
  stages: Stage[];
  owner: string;
  onMove: (card: Opportunity, toStage: string) => void;
}

export const cardTitle = (card: Pick<Opportunity, 'customer'>) => card.customer.company ?? card.customer.name;

/** One deal on the board: customer, amount, close date, score, owner; a drag handle and a "Move to…" menu. */
export const OpportunityCard = memo(function OpportunityCard({ card, stages, owner, onMove }: Props) {
  const { t } = useTranslation(NS);
  const format = useFormat();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id, data: { card } });
  const stage = stages.find((s) => s.key === card.stage);
  const overdue = overdueInStage(card, stage);
  const name = cardTitle(card);
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)`, zIndex: 10, position: 'relative' as const } : undefined;
  return (
    <div ref={setNodeRef} style={style} data-testid="pipeline-card" data-id={card.id} data-stage={card.stage}>
      <Card size="small" style={{ opacity: isDragging ? 0.85 : 1, boxShadow: isDragging ? '0 6px 16px rgba(0,0,0,.18)' : undefined }}>
        <Flex gap={6} align="start">
          <Button
            type="text"
            size="small"
            icon={<HolderOutlined />}
            aria-label={t('board.drag', { name })}
            style={{ cursor: 'grab', touchAction: 'none' }}
            {...attributes}
            {...listeners}
          />
          <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Link to={`/opportunities/${card.id}`} style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {name}
            </Link>
            {card.customer.company ? <Typography.Text type="secondary">{card.customer.name}</Typography.Text> : null}
            <Typography.Text strong data-testid="card-amount">
              {format.money(card.expectedAmount, card.currency)}
            </Typography.Text>
            <Typography.Text>{t('board.closes', { date: format.date(card.expectedCloseDate) })}</Typography.Text>
            <Flex gap={4} wrap align="center">
              <Tag color="blue">{t('board.score', { score: format.number(card.score, 0) })}</Tag>
              {overdue ? (
                <Tag color="red" icon={<ClockCircleOutlined />} data-testid="overdue">
                  {t('board.overdue')}
                </Tag>
              ) : null}
            </Flex>
            <Typography.Text type="secondary">
              {t('board.owner')}: {owner}
            </Typography.Text>
          </Flex>
          <Dropdown
            trigger={['click']}
            menu={{
              items: stages.filter((s) => s.key !== card.stage).map((s) => ({ key: s.key, label: s.name })),
              onClick: ({ key }) => onMove(card, key),
            }}
          >
            <Button type="text" size="small" icon={<SwapOutlined />} aria-label={t('board.moveToNamed', { name })} title={t('board.moveTo')} />
          </Dropdown>
        </Flex>
      </Card>
    </div>
  );
});
