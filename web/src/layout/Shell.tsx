import { Anchor, AppShell, Avatar, Badge, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import type { User } from '../api/types';
import { useDevMailAvailable, useSignOut } from '../auth/session';
import {
  IconAdmin,
  IconBell,
  IconFolder,
  IconInbox,
  IconList,
  IconLogout,
  IconMail,
  IconReceipt,
  IconServer,
  IconSettings,
  IconShare,
  IconShield,
  IconUsers,
} from '../components/Icons';
import { TrialBanner, VerifyEmailBanner } from './Banners';
import { Brand } from './Brand';
import { NotificationBell } from './NotificationBell';
import { type Reach, useReach } from './reach';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

/** The navigation for what applies to me: a collaborator sees only the parts its shares open. */
function mainNav(reach: Reach): NavItem[] {
  return [
    { to: '/environments', label: 'Environments', icon: <IconServer /> },
    { to: '/shared-with-me', label: 'Shared with me', icon: <IconShare /> },
    // Account settings › Collaboration, linked directly too.
    ...(reach.manages ? [{ to: '/settings/collaboration', label: 'Collaboration', icon: <IconUsers /> }] : []),
    ...(reach.owns || reach.collaborates ? [{ to: '/groups', label: 'Groups', icon: <IconFolder /> }] : []),
    ...(reach.billing ? [{ to: '/billing', label: 'Billing', icon: <IconReceipt /> }] : []),
    ...(reach.owns || reach.collaborates ? [{ to: '/access-requests', label: 'Access requests', icon: <IconInbox /> }] : []),
    ...(reach.owns ? [{ to: '/review', label: 'Access review', icon: <IconShield /> }] : []),
    { to: '/audit', label: 'Audit log', icon: <IconList /> },
  ];
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word.charAt(0).toUpperCase())
      .join('') || '?'
  );
}

function AccountMenu({ user, reach }: { user: User; reach: Reach }) {
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${user.name}`} data-testid="account-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar size={32} radius="xl" color="blue" alt="">
              {initials(user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {user.name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="dark" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Menu.Label>
        <Menu.Item component={Link} to="/settings/account" leftSection={<IconSettings size={16} />}>
          Account settings
        </Menu.Item>
        {reach.owns ? (
          <Menu.Item component={Link} to="/settings/webhooks" leftSection={<IconBell size={16} />}>
            Webhooks
          </Menu.Item>
        ) : null}
        {reach.manages ? (
          <>
            <Menu.Item component={Link} to="/settings/collaboration" leftSection={<IconUsers size={16} />}>
              Collaboration
            </Menu.Item>
            <Menu.Item component={Link} to="/settings/roles" leftSection={<IconShield size={16} />}>
              Roles
            </Menu.Item>
          </>
        ) : (
          <Menu.Item component={Link} to="/shared-with-me" leftSection={<IconShare size={16} />}>
            The accounts I work in
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The signed-in frame: header with the bell and account menu, the navigation, the banners, then the page. */
export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const devMail = useDevMailAvailable();
  const location = useLocation();

  // A navigation closes the mobile menu. (Focus moves to the new page's heading: see focus-on-navigate.ts.)
  const closeMenu = useRef(close);
  closeMenu.current = close;
  useEffect(() => closeMenu.current(), [location.pathname]);

  const reach = useReach(user);
  const nav: NavItem[] = [
    ...mainNav(reach),
    ...(user.isAdmin ? [{ to: '/admin', label: 'Admin', icon: <IconAdmin /> }] : []),
    ...(devMail ? [{ to: '/dev/mail', label: 'Dev mailbox', icon: <IconMail /> }] : []),
  ];
  const active = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'sm', sm: 'lg' }}>
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Brand />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {user.type !== 'trial' ? (
              <Badge variant="light" color="gray" visibleFrom="sm">
                {user.type}
              </Badge>
            ) : null}
            <NotificationBell />
            <AccountMenu user={user} reach={reach} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2} component="nav" aria-label="Main navigation">
            {nav.map((item) => (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                leftSection={item.icon}
                active={active(item.to)}
                aria-current={active(item.to) ? 'page' : undefined}
              />
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm">
          <NavLink component={Link} to="/settings/account" label="Account settings" leftSection={<IconSettings />} active={active('/settings/account')} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <Stack gap="md" maw={1200} mx="auto">
          <TrialBanner user={user} />
          <VerifyEmailBanner user={user} />
          {children}
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
