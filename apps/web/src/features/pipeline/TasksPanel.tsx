import { CheckOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { AutoComplete, Button, DatePicker, Flex, Form, Input, List, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useKeepDetail, type Detail } from './api';
import { NS } from './texts';

interface TaskForm {
  title: string;
  key?: string;
  dueAt?: Dayjs | null;
}

/** A task's key from its title when none is given: `Discovery call` → `discovery_call`. */
export const keyOf = (title: string) =>
  title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60) || 'task';

/** The opportunity's tasks: add one (its key may be one the exit criteria ask for), complete one. */
export function TasksPanel({ opportunity, requiredTasks }: { opportunity: Detail; requiredTasks: string[] }) {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const format = useFormat();
  const keep = useKeepDetail();
  const [form] = Form.useForm<TaskForm>();
  const add = useMutation({
    mutationFn: (values: TaskForm) =>
      unwrap(
        crm.POST('/api/v1/opportunities/{id}/tasks', {
          params: { path: { id: opportunity.id } },
          body: { title: values.title.trim(), key: values.key?.trim() || keyOf(values.title), dueAt: values.dueAt?.toISOString() },
        }),
      ),
    onSuccess: (data) => {
      keep(data);
      form.resetFields();
    },
    onError: (error) => form.setFields(formFieldsOf(error, ['title', 'key', 'dueAt']).fields as never),
  });
  const complete = useMutation({
    mutationFn: (taskId: string) =>
      unwrap(crm.POST('/api/v1/opportunities/{id}/tasks/{taskId}/complete', { params: { path: { id: opportunity.id, taskId } } })),
    onSuccess: keep,
  });
  const open = opportunity.status === 'open';
  return (
    <Flex vertical gap={8}>
      <List
        data-testid="tasks"
        locale={{ emptyText: t('opp.noTasks') }}
        dataSource={opportunity.tasks}
        renderItem={(task) => (
          <List.Item
            data-task={task.key}
            data-done={task.doneAt ? 'true' : 'false'}
            actions={
              !task.doneAt && open
                ? [
                    <Button
                      key="done"
                      size="small"
                      icon={<CheckOutlined />}
                      loading={complete.isPending && complete.variables === task.id}
                      onClick={() => complete.mutate(task.id)}
                      aria-label={t('opp.completeNamed', { title: task.title })}
                    >
                      {t('opp.complete')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={task.doneAt ? <Typography.Text delete>{task.title}</Typography.Text> : task.title}
              description={
                <>
                  <code>{task.key}</code>
                  {task.dueAt ? ` · ${t('opp.due')} ${format.dateTime(task.dueAt)}` : ''}
                  {task.doneAt ? ` · ${t('opp.doneAt', { when: format.dateTime(task.doneAt) })}` : ''}
                </>
              }
            />
          </List.Item>
        )}
      />
      {complete.isError ? <ProblemAlert error={complete.error} /> : null}
      {open ? (
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} requiredMark={false}>
          <Flex gap={8} wrap align="end">
            <Form.Item name="title" label={t('opp.taskTitle')} rules={[{ required: true, whitespace: true }]} style={{ flex: '1 1 200px', marginBottom: 8 }}>
              <Input data-testid="task-title" />
            </Form.Item>
            <Form.Item name="key" label={t('opp.taskKey')} tooltip={t('opp.taskKeyHelp')} style={{ flex: '0 1 160px', marginBottom: 8 }}>
              <AutoComplete options={requiredTasks.map((k) => ({ value: k }))} aria-label={t('opp.taskKey')} />
            </Form.Item>
            <Form.Item name="dueAt" label={t('opp.due')} style={{ marginBottom: 8 }}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" aria-label={t('opp.due')} />
            </Form.Item>
            <Form.Item style={{ marginBottom: 8 }}>
              <Button htmlType="submit" type="primary" loading={add.isPending}>
                {t('opp.addTask')}
              </Button>
            </Form.Item>
          </Flex>
          {add.isError && !formFieldsOf(add.error, ['title', 'key', 'dueAt']).fields.length ? <ProblemAlert error={add.error} /> : null}
        </Form>
      ) : null}
    </Flex>
  );
}
