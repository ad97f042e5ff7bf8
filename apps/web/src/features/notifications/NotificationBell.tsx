import { useEffect, useRef, useState } from 'react';
import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Flex, Popover, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCrm } from '../../api/crm';
import { useSession } from '../../auth/session';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { openNotificationStream, type NotificationItem } from './stream';
import { NOTIFICATIONS } from './texts';

const RECENT = 15;
const COUNT_KEY = ['notifications', 'unread-count'];
const LIST_KEY = ['notifications', 'recent'];
type List = { items: NotificationItem[]; nextCursor?: string | null };

/** The bell in the header: the unread count, the recent notifications, and new ones as they happen. */
export default function NotificationBell() {
  const { t, i18n } = useTranslation(NOTIFICATIONS);
  const crm = useCrm();
  const queries = useQueryClient();
  const session = useSession();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { notification } = App.useApp();
  const [open, setOpen] = useState(false);

  const unread = useQuery({ queryKey: COUNT_KEY, queryFn: () => unwrap(crm.GET('/api/v1/notifications/unread-count')) });
  const recent = useQuery({
    queryKey: [...LIST_KEY, i18n.resolvedLanguage],
    queryFn: () => unwrap(crm.GET('/api/v1/notifications', { params: { query: { limit: RECENT } } })),
  });

  const read = useMutation({
    mutationFn: (id: string) => unwrap(crm.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: () => void queries.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const readAll = useMutation({
    mutationFn: (before: string | undefined) => unwrap(crm.POST('/api/v1/notifications/read-all', { body: before ? { before } : {} })),
    onSettled: () => void queries.invalidateQueries({ queryKey: ['notifications'] }),
  });

  const openItem = (n: NotificationItem) => {
    setOpen(false);
    if (!n.readAt) read.mutate(n.id);
    void navigate(n.link);
  };

  // The handlers change with each render (language, navigate); the stream reads the latest through a ref.
  const handlers = useRef({
    onNotification: (_: NotificationItem) => undefined as void,
    onUnread: (_: number) => undefined as void,
    onOpen: () => undefined as void,
  });
  handlers.current = {
    onNotification: (n) => {
      queries.setQueryData<List>([...LIST_KEY, i18n.resolvedLanguage], (list) =>
        list && !list.items.some((x) => x.id === n.id) ? { ...list, items: [n, ...list.items].slice(0, RECENT) } : list,
      );
      notification.info({
        key: `notification-${n.id}`,
        title: n.title,
        description: n.body,
        placement: 'bottomRight',
        duration: 6,
        onClick: () => openItem(n),
      });
    },
    onUnread: (count) => queries.setQueryData(COUNT_KEY, { unread: count }),
    onOpen: () => void queries.invalidateQueries({ queryKey: LIST_KEY }),
  };

  const { getToken, status } = session;
  const language = i18n.resolvedLanguage ?? 'en';
  useEffect(() => {
    if (status !== 'signed-in') return;
    const abort = new AbortController();
    openNotificationStream({
      url: `${window.location.origin}/api/v1/notifications/stream`,
      getToken,
      language,
      signal: abort.signal,
      handlers: () => handlers.current,
    });
    // Closed when the bell goes (sign-out unmounts the shell) or the language changes (titles are rendered for it).
    return () => abort.abort();
  }, [status, getToken, language]);

  const count = unread.data?.unread ?? 0;
  const list = (
    <div style={{ width: 'min(380px, 90vw)' }} data-testid="notification-list">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Button size="small" disabled={!count} loading={readAll.isPending} onClick={() => readAll.mutate(recent.data?.items[0]?.id)}>
          {t('markAllRead')}
        </Button>
      </Flex>
      <QueryState query={recent} empty={(d) => d.items.length === 0} emptyText={t('empty')}>
        {(d) => (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 420, overflowY: 'auto' }}>
            {d.items.map((n) => (
              <li key={n.id} style={{ borderTop: '1px solid #f0f0f0' }}>
                <button type="button" className="notification-item" onClick={() => openItem(n)} data-testid="notification-item" style={ITEM}>
                  <Flex justify="space-between" gap={8}>
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                    {!n.readAt && <Badge color="#1460d1" aria-label={t('unread')} />}
                  </Flex>
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 13 }}>
                    {n.body}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmt.dateTime(n.createdAt)}
                  </Typography.Text>
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </div>
  );

  return (
    <>
      <Popover content={list} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
        <Button type="text" aria-label={count ? t('bell', { count }) : t('bellNone')} aria-expanded={open} data-testid="notification-bell">
          <Badge count={count} size="small" overflowCount={99} data-testid="notification-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        </Button>
      </Popover>
      <span aria-live="polite" className="visually-hidden" style={HIDDEN}>
        {unread.data ? t('live', { count }) : ''}
      </span>
    </>
  );
}

const ITEM = { display: 'block', width: '100%', textAlign: 'left', background: 'none', border: 0, padding: '8px 4px', cursor: 'pointer' } as const;
const HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;
