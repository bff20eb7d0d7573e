import { Badge, Button, Group, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { User } from '../../api/types';
import { useMe } from '../../auth/session';
import { Fact } from '../../components/Fact';
import { formatDate } from '../../components/format';
import { Page } from '../../components/Page';
import { Section } from '../../components/Section';
import { SettingsNav } from '../../layout/SettingsNav';
import { ApiTokensSection } from './ApiTokensSection';
import { ChangePasswordSection } from './ChangePasswordSection';
import { SessionsSection } from './SessionsSection';
import { TwoFactorSection } from './TwoFactorSection';
import { PasskeysSection } from './PasskeysSection';

const typeLabel: Record<User['type'], string> = {
  trial: 'Trial',
  paid: 'Paid',
  collaborator: 'Collaborator (works in other accounts; never expires)',
};

/** Account settings: who I am, my password, my passkeys and my API tokens. */
export function AccountPage() {
  const me = useMe();
  const user = me.data;
  if (!user) return null;
  return (
    <Page title="Account settings" description="Your profile, your password, your passkeys, two-factor sign-in, your sessions and the API tokens scripts use to act as you; and, for the accounts you own or manage, Collaboration (user management) and Roles.">
      <SettingsNav />
      <Section title="Profile">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Fact label="Name">{user.name}</Fact>
          <Fact label="Email">
            <Group gap={6}>
              <span>{user.email}</span>
              {user.emailVerified ? (
                <Badge color="green" variant="light" size="sm">
                  confirmed
                </Badge>
              ) : (
                <Badge color="yellow" variant="light" size="sm">
                  not confirmed
                </Badge>
              )}
            </Group>
          </Fact>
          <Fact label="Account type">
            {typeLabel[user.type]}
            {user.isAdmin ? ' · platform admin' : ''}
          </Fact>
          {user.type === 'trial' ? (
            <Fact label={user.trialExpired ? 'Trial ended' : 'Trial ends'}>{formatDate(user.trialEndsAt)}</Fact>
          ) : (
            <Fact label="Member since">{formatDate(user.createdAt)}</Fact>
          )}
        </SimpleGrid>
      </Section>
      <ChangePasswordSection />
      <TwoFactorSection />
      <PasskeysSection />
      <SessionsSection />
      <ApiTokensSection />
      {user.type !== 'collaborator' ? (
      <Section title="Webhooks">
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">Send your account&apos;s events, signed, to your chat, SIEM or scripts, and see every delivery.</Text>
          <Button component={Link} to="/settings/webhooks" variant="light">
            Manage webhooks
          </Button>
        </Group>
      </Section>
      ) : null}
    </Page>
  );
}
