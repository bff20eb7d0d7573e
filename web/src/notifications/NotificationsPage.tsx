import { Anchor, Button, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { EmptyHint } from '../components/Feedback';
import { formatDateTime } from '../components/format';
import { IconBell } from '../components/Icons';
import { Page } from '../components/Page';
import { queryFallback } from '../components/QueryState';
import { IncomingTransfers } from './IncomingTransfers';
import { useMarkAllRead, useMarkRead, useNotificationPages } from './queries';

/** Every notification, newest first; read ones dimmed; mark one or all read. */
export function NotificationsPage() {
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === '1';
  const pages = useNotificationPages(unreadOnly);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const unread = pages.data?.pages[0]?.unreadCount ?? 0;
  return (
    <Page
      title="Notifications"
      description={unread ? `${unread} unread` : 'All read'}
      actions={
        unread ? (
          <Button variant="default" onClick={() => markAll.mutate()} loading={markAll.isPending}>
            Mark all read
          </Button>
        ) : null
      }
    >
      <IncomingTransfers />
      <Switch label="Only unread" checked={unreadOnly} onChange={(event) => setParams(event.currentTarget.checked ? { unread: '1' } : {})} />
      {queryFallback(pages) ??
        (items.length === 0 ? (
        <EmptyHint icon={<IconBell size={28} />} title={unreadOnly ? 'Nothing unread' : 'No notifications yet'}>
          Invitations, answers to your invitations, changes to what is shared with you, trial reminders, environment transfers, budget alerts and environment alerts show up here.
        </EmptyHint>
      ) : (
        <Stack gap="xs">
          {items.map((notification) => (
            <Paper key={notification.id} withBorder p="sm" radius="md" bg={notification.readAt ? undefined : 'blue.0'}>
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <div style={{ minWidth: 0 }}>
                  <Text fw={notification.readAt ? 400 : 600} size="sm">
                    {notification.link ? (
                      <Anchor component={Link} to={notification.link} onClick={() => !notification.readAt && markRead.mutate(notification.id)}>
                        {notification.title}
                      </Anchor>
                    ) : (
                      notification.title
                    )}
                  </Text>
                  <Text size="sm">{notification.body}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(notification.createdAt)}
                  </Text>
                </div>
                {notification.readAt ? null : (
                  <Button size="compact-xs" variant="subtle" onClick={() => markRead.mutate(notification.id)} aria-label={`Mark “${notification.title}” read`}>
                    Mark read
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
          {pages.hasNextPage ? (
            <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} w="fit-content">
              Older notifications
            </Button>
          ) : null}
        </Stack>
      ))}
    </Page>
  );
}
