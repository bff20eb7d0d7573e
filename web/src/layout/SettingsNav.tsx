import { Button, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth/session';
import { useReach } from './reach';

/** The parts of Account settings: profile and security, then Collaboration (user management), Teams (the owner's) and Roles for those who manage members. */
export function SettingsNav() {
  const me = useMe();
  const location = useLocation();
  const reach = useReach(me.data);
  const tabs = [
    { to: '/settings/account', label: 'Profile and security' },
    ...(reach.manages
      ? [
          { to: '/settings/collaboration', label: 'Collaboration' },
          // Teams are the owner's alone: a manager of another account gets 403 on their routes.
          ...(reach.owns ? [{ to: '/settings/collaboration/teams', label: 'Teams' }] : []),
          { to: '/settings/roles', label: 'Roles' },
        ]
      : [{ to: '/shared-with-me', label: 'The accounts I work in' }]),
    ...(reach.owns ? [{ to: '/settings/webhooks', label: 'Webhooks' }] : []),
  ];
  const within = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);
  // The deepest tab the page is under: a team's page is under Teams, not also under Collaboration.
  const deepest = tabs.filter((tab) => within(tab.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const current = (to: string) => to === deepest;
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
