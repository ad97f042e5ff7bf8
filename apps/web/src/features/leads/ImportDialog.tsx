import { useRef, useState } from 'react';
import { Alert, Button, Flex, Modal, Table, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { ProblemAlert } from '../../ui/states';
import { NS } from './texts';
import type { ImportResult } from './api';

type Rejected = ImportResult['rejected'][number];

/** Upload a CSV file; then what was imported and each rejected line with its reasons. */
export function ImportDialog() {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const upload = useMutation({
    mutationFn: async (csv: string) =>
      unwrap(crm.POST('/api/v1/leads/import', { body: csv, bodySerializer: (b: string) => b, headers: { 'Content-Type': 'text/csv' } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['leads', 'list'] }),
  });
  const close = () => {
    setOpen(false);
    setFile(null);
    upload.reset();
    setTimeout(() => opener.current?.focus());
  };
  const result = upload.data;
  const rows = (result?.rejected ?? []).flatMap((r: Rejected) =>
    r.errors.map((e, i) => ({ key: `${r.line}:${i}`, line: r.line, field: e.field, message: e.message })),
  );

  return (
    <>
      <Button ref={opener} onClick={() => setOpen(true)} data-testid="lead-import">
        {t('import.open')}
      </Button>
      <Modal open={open} title={t('import.title')} onCancel={close} footer={null} width={720} destroyOnHidden>
        <Flex vertical gap={12}>
          <Typography.Paragraph>{t('import.hint')}</Typography.Paragraph>
          <Flex gap={8} align="center" wrap>
            <label htmlFor="lead-import-file">{t('import.file')}</label>
            <input
              id="lead-import-file"
              ref={input}
              type="file"
              accept=".csv,text/csv"
              data-testid="lead-import-file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <Button
              type="primary"
              disabled={!file}
              loading={upload.isPending}
              data-testid="lead-import-submit"
              onClick={async () => file && upload.mutate(await file.text())}
            >
              {t('import.submit')}
            </Button>
          </Flex>
          {upload.isError ? <ProblemAlert error={upload.error} /> : null}
          {result ? (
            <Flex vertical gap={8} data-testid="lead-import-result">
              <Alert
                role="status"
                type={result.rejected.length ? 'warning' : 'success'}
                title={t('import.result', { imported: result.imported, merged: result.merged, rejected: result.rejected.length })}
              />
              {rows.length ? (
                <Table
                  size="small"
                  pagination={rows.length > 10 ? { pageSize: 10 } : false}
                  dataSource={rows}
                  columns={[
                    { key: 'line', title: t('import.line'), dataIndex: 'line', width: 80 },
                    { key: 'field', title: t('import.field'), render: (_, r) => (r.field ? <code>{r.field}</code> : t('import.wholeRow')), width: 140 },
                    { key: 'message', title: t('import.reason'), dataIndex: 'message' },
                  ]}
                />
              ) : null}
            </Flex>
          ) : null}
        </Flex>
      </Modal>
    </>
  );
}
