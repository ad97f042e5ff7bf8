import { useState, type ReactNode } from 'react';
import { Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { HOME } from './texts';
import { Link } from 'react-router';
import type { UseQueryResult } from '@tanstack/react-query';
import { QueryState } from '../../ui/states';

/** Rows shown before "show all": the four lists fit a laptop screen. */
const SHOWN = 5;
const COUNT = {
  display: 'inline-block',
  minWidth: 22,
  padding: '0 7px',
  borderRadius: 11,
  color: '#fff',
  fontSize: 12,
  lineHeight: '22px',
  textAlign: 'center',
} as const;

export interface SectionRow {
  key: string;
  /** The record page the row opens. */
  href: string;
  title: ReactNode;
  /** The tag that says how urgent it is. */
  tag?: ReactNode;
  details: ReactNode;
}

/**
 * One list of the rep's day: a titled card with the count in its header, rows that each open their record, and the
 * loading, error and empty states of the query behind it.
 */
export function HomeSection<T>({
  id,
  title,
  hint,
  query,
  rows,
  emptyText,
}: {
  id: string;
  title: string;
  hint: string;
  query: UseQueryResult<T>;
  rows: (data: T) => SectionRow[];
  emptyText: string;
}) {
  const { t } = useTranslation(HOME);
  const [all, setAll] = useState(false);
  const count = query.data === undefined ? null : rows(query.data).length;
  const headingId = `home-${id}-title`;
  return (
    <section aria-labelledby={headingId} data-testid={`home-${id}`}>
      <Card
        title={
          <Typography.Title level={2} id={headingId} style={{ fontSize: 16, margin: 0 }}>
            {title}{' '}
            {count !== null && (
              <span data-testid={`home-${id}-count`} style={{ ...COUNT, background: count ? '#c41d1d' : '#595959' }}>
                {count}
              </span>
            )}
          </Typography.Title>
        }
        styles={{ body: { paddingBlock: 8 } }}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8, fontSize: 13 }}>
          {hint}
        </Typography.Paragraph>
        <QueryState query={query} empty={(d) => rows(d).length === 0} emptyText={emptyText}>
          {(d) => (
            <>
              <ul aria-label={title} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {rows(d)
                  .slice(0, all ? undefined : SHOWN)
                  .map((r) => (
                    <li key={r.key} data-testid={`home-${id}-row`} style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }}>
                      <Flex justify="space-between" align="baseline" gap={8} wrap>
                        <Link to={r.href}>{r.title}</Link>
                        {r.tag}
                      </Flex>
                      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                        {r.details}
                      </Typography.Text>
                    </li>
                  ))}
              </ul>
              {rows(d).length > SHOWN && (
                <Button type="link" onClick={() => setAll(!all)} aria-expanded={all} style={{ paddingInline: 0 }}>
                  {all ? t('showFewer') : t('showAll', { count: rows(d).length })}
                </Button>
              )}
            </>
          )}
        </QueryState>
      </Card>
    </section>
  );
}
