import { useEffect, useState } from 'react';
import { Button, Checkbox, Flex, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { NS } from './texts';
import { SOURCES, STATUSES, type LeadQuery } from './query';
import type { Rep } from './api';

/** The list's filters; every change goes to the URL at once (the search on Enter). */
/** `onChange` takes what changed: it is merged into the URL as it is then (two quick changes both stay). */
export function LeadFilters({ query, onChange, reps }: { query: LeadQuery; onChange: (patch: Partial<LeadQuery> | null) => void; reps?: Rep[] }) {
  const { t } = useTranslation(NS);
  const [q, setQ] = useState(query.q ?? '');
  const [region, setRegion] = useState(query.region ?? '');
  useEffect(() => setQ(query.q ?? ''), [query.q]);
  useEffect(() => setRegion(query.region ?? ''), [query.region]);
  const set = (patch: Partial<LeadQuery>) => onChange(patch);
  const any = { value: '', label: t('filter.any') };

  return (
    <Form layout="vertical" className="lead-filters" role="search" aria-label={t('filter.q')}>
      <Flex wrap gap={12} align="end">
        <Form.Item label={t('filter.q')} htmlFor="lf-q" style={{ minWidth: 240, flex: '1 1 240px', marginBottom: 0 }}>
          <Input.Search
            id="lf-q"
            data-testid="lead-search"
            value={q}
            allowClear
            placeholder={t('filter.qPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(value) => set({ q: value.trim().length >= 2 ? value.trim() : undefined })}
          />
        </Form.Item>
        <Form.Item label={t('filter.status')} htmlFor="lf-status" style={{ minWidth: 150, marginBottom: 0 }}>
          <Select
            id="lf-status"
            data-testid="lead-filter-status"
            value={query.status ?? ''}
            options={[any, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
            onChange={(v) => set({ status: (v || undefined) as LeadQuery['status'] })}
          />
        </Form.Item>
        <Form.Item label={t('filter.source')} htmlFor="lf-source" style={{ minWidth: 150, marginBottom: 0 }}>
          <Select
            id="lf-source"
            data-testid="lead-filter-source"
            value={query.source ?? ''}
            options={[any, ...SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))]}
            onChange={(v) => set({ source: (v || undefined) as LeadQuery['source'] })}
          />
        </Form.Item>
        {reps ? (
          <Form.Item label={t('filter.owner')} htmlFor="lf-owner" style={{ minWidth: 180, marginBottom: 0 }}>
            <Select
              id="lf-owner"
              showSearch={{ optionFilterProp: 'label' }}
              value={query.ownerId ?? ''}
              options={[any, ...reps.map((r) => ({ value: r.id, label: r.name }))]}
              onChange={(v) => set({ ownerId: v || undefined })}
            />
          </Form.Item>
        ) : null}
        <Form.Item label={t('filter.region')} htmlFor="lf-region" style={{ width: 120, marginBottom: 0 }}>
          <Input
            id="lf-region"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            onBlur={() => set({ region: region.trim() || undefined })}
            onPressEnter={() => set({ region: region.trim() || undefined })}
          />
        </Form.Item>
        <Form.Item label={t('filter.created')} style={{ marginBottom: 0 }}>
          <Flex gap={4}>
            <Input
              type="date"
              aria-label={`${t('filter.created')} (1)`}
              value={query.from ?? ''}
              onChange={(e) => set({ from: e.target.value || undefined })}
              style={{ width: 150 }}
            />
            <Input
              type="date"
              aria-label={`${t('filter.created')} (2)`}
              value={query.to ?? ''}
              onChange={(e) => set({ to: e.target.value || undefined })}
              style={{ width: 150 }}
            />
          </Flex>
        </Form.Item>
        <Form.Item style={{ marginBottom: 0 }}>
          <Checkbox data-testid="lead-filter-overdue" checked={!!query.overdue} onChange={(e) => set({ overdue: e.target.checked || undefined })}>
            {t('filter.overdue')}
          </Checkbox>
        </Form.Item>
        <Form.Item style={{ marginBottom: 0 }}>
          <Button onClick={() => onChange(null)}>{t('filter.clear')}</Button>
        </Form.Item>
      </Flex>
    </Form>
  );
}
