import { registerTexts } from '../../i18n';

export const NOTIFICATIONS = registerTexts('notifications', {
  en: {
    bell: 'Notifications, {{count}} unread',
    bellNone: 'Notifications, none unread',
    live: '{{count}} unread notifications',
    title: 'Notifications',
    markAllRead: 'Mark all read',
    empty: 'No notifications',
    unread: 'Unread',
    newOne: 'New notification',
  },
  zh: {
    bell: '通知，{{count}} 条未读',
    bellNone: '通知，没有未读',
    live: '{{count}} 条未读通知',
    title: '通知',
    markAllRead: '全部标为已读',
    empty: '暂无通知',
    unread: '未读',
    newOne: '新通知',
  },
});
