import { useState } from 'react';
import { App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../auth/session';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { NS } from './texts';
import { queryRecord, readQuery, type LeadQuery } from './query';
import { useDeleteView, useSaveView, useSavedViews } from './api';

/** Pick, save and delete named sets of the list's filters (the server keeps them per user, shared per team). */
export function SavedViews({ query, onApply }: { query: LeadQuery; onApply: (query: LeadQuery) => void }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const user = useUser();
  const views = useSavedViews();
  const save = useSaveView();
  const remove = useDeleteView();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const current = JSON.stringify(queryRecord(query));
  const selected = views.data?.find((v) => JSON.stringify(queryRecord(readQuery(new URLSearchParams(v.query)))) === current);

  const submit = async (values: { name: string; shared: boolean }) => {
    try {
      const view = await save.mutateAsync({ name: values.name, shared: !!values.shared, query });
      void message.success(t('views.saved', { name: view.name }));
      setOpen(false);
      form.resetFields();
    } catch (error) {
      form.setFields(formFieldsOf(error, ['name', 'shared']).fields as never);
    }
  };

  return (
    <Flex gap={8} align="center" wrap>
      <label htmlFor="lead-saved-view">{t('views.label')}</label>
      <Select
        id="lead-saved-view"
        data-testid="saved-view-select"
        style={{ minWidth: 220 }}
        placeholder={t('views.placeholder')}
        loading={views.isPending}
        value={selected?.id ?? null}
        options={(views.data ?? []).map((v) => ({
          value: v.id,
          label: (
            <span>
              {v.name} {v.ownerId !== user.id ? <Tag>{t('views.sharedTag')}</Tag> : null}
            </span>
          ),
          title: v.name,
        }))}
        onChange={(id) => {
          const view = views.data?.find((v) => v.id === id);
          if (view) onApply(readQuery(new URLSearchParams(view.query)));
        }}
      />
      {selected && selected.ownerId === user.id ? (
        <Popconfirm
          title={t('views.deleteConfirm', { name: selected.name })}
          onConfirm={() => remove.mutateAsync(selected.id).then(() => message.success(t('views.deleted')))}
        >
          <Button>{t('views.delete')}</Button>
        </Popconfirm>
      ) : null}
      <Button data-testid="saved-view-save" onClick={() => setOpen(true)}>
        {t('views.save')}
      </Button>
      {views.isError ? <ProblemAlert error={views.error} /> : null}
      <Modal
        open={open}
        title={t('views.saveTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('views.save')}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ shared: false }}>
          <Form.Item name="name" label={t('views.name')} rules={[{ required: true, whitespace: true, max: 80 }]}>
            <Input autoFocus data-testid="saved-view-name" maxLength={80} />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox disabled={!user.team}>{t('views.shared')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
