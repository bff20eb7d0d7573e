import { ActionIcon, Anchor, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import type { Notification } from '../api/types';
import { formatDateTime } from '../components/format';
import { IconBell } from '../components/Icons';
import { useLatestNotifications, useMarkAllRead, useMarkRead } from '../notifications/queries';

/** Opens a notification: marks it read and goes where it points. */
export function useOpenNotification() {
  const markRead = useMarkRead();
  const navigate = useNavigate();
  return (notification: Notification) => {
    if (!notification.readAt) markRead.mutate(notification.id);
    if (notification.link) void navigate(notification.link);
  };
}

/** The header's bell: the unread count, the latest notifications, and a way to all of them. */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const latest = useLatestNotifications();
  const markAll = useMarkAllRead();
  const open = useOpenNotification();
  const unread = latest.data?.unreadCount ?? 0;
  const items = latest.data?.items ?? [];
  return (
    <Indicator label={unread > 99 ? '99+' : unread} size={18} disabled={unread === 0} color="red" offset={4}>
      <Popover opened={opened} onChange={(value) => (value ? undefined : close())} position="bottom-end" width={340} shadow="md" withinPortal trapFocus>
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={toggle}
            aria-label={unread ? `Notifications: ${unread} unread` : 'Notifications'}
            data-testid="notification-bell"
          >
            <IconBell size={20} />
          </ActionIcon>
        </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="sm" py="xs">
          <Text fw={600} size="sm">
            Notifications
          </Text>
          {unread ? (
            <Button size="compact-xs" variant="subtle" onClick={() => markAll.mutate()} loading={markAll.isPending}>
              Mark all read
            </Button>
          ) : null}
        </Group>
        <Divider />
        <ScrollArea.Autosize mah={360}>
          {items.length === 0 ? (
            <Text size="sm" c="dimmed" p="sm">
              Nothing yet. Invitations, answers to yours, and changes to what is shared with you show up here.
            </Text>
          ) : (
            <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((notification) => (
                <li key={notification.id}>
                  <UnstyledButton
                    w="100%"
                    px="sm"
                    py="xs"
                    onClick={() => {
                      close();
                      open(notification);
                    }}
                    style={{ background: notification.readAt ? undefined : 'var(--mantine-color-blue-0)', borderBottom: '1px solid var(--mantine-color-gray-2)' }}
                    data-testid="notification-item"
                  >
                    <Text size="sm" fw={notification.readAt ? 400 : 600}>
                      {notification.title}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {notification.body}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(notification.createdAt)}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          )}
        </ScrollArea.Autosize>
        <Divider />
        <Group justify="center" py={6}>
          <Anchor component={Link} to="/notifications" size="sm" onClick={close}>
            See all notifications
          </Anchor>
        </Group>
      </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
