import { Button, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth/session';
import { useReach } from './reach';

/** The parts of Account settings: profile and security, then Collaboration (user management) and Roles for those who manage members. */
export function SettingsNav() {
  const me = useMe();
  const location = useLocation();
  const reach = useReach(me.data);
  const tabs = [
    { to: '/settings/account', label: 'Profile and security' },
    ...(reach.manages
      ? [
          { to: '/settings/collaboration', label: 'Collaboration' },
          { to: '/settings/roles', label: 'Roles' },
        ]
      : [{ to: '/shared-with-me', label: 'The accounts I work in' }]),
    ...(reach.owns ? [{ to: '/settings/webhooks', label: 'Webhooks' }] : []),
  ];
  const current = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);
  return (
    <Group component="nav" aria-label="Account settings" gap={4} wrap="wrap">
      {tabs.map((tab) => (
        <Button
          key={tab.to}
          component={Link}
          to={tab.to}
          size="xs"
          variant={current(tab.to) ? 'light' : 'subtle'}
          aria-current={current(tab.to) ? 'page' : undefined}
        >
          {tab.label}
        </Button>
      ))}
    </Group>
  );
}
