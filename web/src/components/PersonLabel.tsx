import { Anchor, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * A person as lists show them: the name (a link when `to` is given) over the email and an optional note. Long
 * emails wrap instead of pushing the table wider.
 */
export function PersonLabel({ name, email, to, note }: { name: ReactNode; email: string; to?: string; note?: ReactNode }) {
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      {to ? (
        <Anchor component={Link} to={to} fw={600} size="sm">
          {name}
        </Anchor>
      ) : (
        <Text size="sm" fw={500}>
          {name}
        </Text>
      )}
      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {email}
        {note}
      </Text>
    </Stack>
  );
}

/** What the API says besides a person's label: the account name when it differs, and the email when the caller may see it. */
export function secondaryOf(person: { label: string; name: string; email?: string | undefined }): string {
  return [person.name !== person.label ? person.name : '', person.email ?? ''].filter(Boolean).join(' · ');
}

/** A person named inline by the API's label, the account name and email on hover (and for screen readers). */
export function PersonName({ person }: { person: { label: string; name: string; email?: string | undefined } }) {
  const more = secondaryOf(person);
  return more ? (
    <span title={more}>
      {person.label}
      <span className="visually-hidden"> ({more})</span>
    </span>
  ) : (
    <>{person.label}</>
  );
}
