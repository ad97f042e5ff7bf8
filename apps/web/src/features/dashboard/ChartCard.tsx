import { useState, type ReactNode } from 'react';
import { Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../ui/states';
import { EChart, type ChartOption } from './EChart';
import './texts';

export interface FigureTable {
  columns: { key: string; title: string; numeric?: boolean }[];
  rows: Record<string, string>[];
}

export interface Drawn {
  option: ChartOption;
  table: FigureTable;
}

/**
 * A chart card: its title, the currency of its figures, loading/empty/error states, and a table of the exact
 * figures the chart draws (the accessible alternative: a toggle, the table is what a screen reader reads).
 */
export function ChartCard<T>({
  id,
  title,
  currency,
  note,
  extra,
  query,
  draw,
  height,
}: {
  id: string;
  title: string;
  currency?: string | null;
  note?: ReactNode;
  extra?: ReactNode;
  query: UseQueryResult<T>;
  draw: (data: T) => Drawn;
  height?: number;
}) {
  const { t } = useTranslation('dashboard');
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card
      data-testid={`chart-${id}`}
      title={
        <Space wrap size={4}>
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            {title}
          </Typography.Title>
          {currency ? <Tag>{currency}</Tag> : null}
        </Space>
      }
      extra={
        <Space wrap size={8}>
          {extra}
          <Segmented
            size="small"
            aria-label={t('view.label', { title })}
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            options={[
              { value: 'chart', label: t('view.chart') },
              { value: 'table', label: t('view.table') },
            ]}
          />
        </Space>
      }
      styles={{ body: { minHeight: 200 } }}
    >
      {note ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {note}
        </Typography.Paragraph>
      ) : null}
      <QueryState query={query} emptyText={t('empty')} empty={(d) => draw(d).table.rows.length === 0}>
        {(data) => {
          const drawn = draw(data);
          return view === 'chart' ? (
            <EChart option={drawn.option} height={height} label={title} />
          ) : (
            <Table
              size="small"
              pagination={false}
              scroll={{ x: true, y: 320 }}
              rowKey="__key"
              dataSource={drawn.table.rows.map((r, i) => ({ ...r, __key: r.__key ?? String(i) }))}
              columns={drawn.table.columns.map((c) => ({ key: c.key, dataIndex: c.key, title: c.title, align: c.numeric ? ('right' as const) : undefined }))}
            />
          );
        }}
      </QueryState>
    </Card>
  );
}
