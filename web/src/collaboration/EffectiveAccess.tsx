import { Alert, List, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { Member } from '../api/types';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { environmentLabel } from '../environments/model';
import { useAccountEnvironments, useGroups } from '../environments/queries';
import { blockedExplanation, levelLabel, memberName } from './labels';
import { ownerQuery } from './queries';
import { PermissionBadges } from './RoleBadges';

const ACCOUNT = '';

/** For any environment (or the account), what the member can do there and why: the API's own explanation. */
export function EffectiveAccess({ member, ownerId, accountId }: { member: Member; ownerId?: string | undefined; accountId: string | undefined }) {
  const environments = useAccountEnvironments(accountId);
  const groups = useGroups(ownerId);
  const [target, setTarget] = useState<string>(ACCOUNT);
  const explain = useQuery({
    queryKey: ['explain', ownerId ?? 'mine', member.id, target],
    queryFn: () =>
      ok(api.GET('/api/v1/access/explain', { params: { query: { ...ownerQuery(ownerId), memberId: member.id, ...(target ? { environmentId: target } : {}) } } })),
  });
  const data = explain.data;
  const describe = (resource: { type: string; id?: string }) => {
    if (resource.type === 'account') return 'the all-environments share';
    if (resource.type === 'group') return `the share of the group ${groups.data?.find((group) => group.id === resource.id)?.name ?? resource.id ?? ''}`;
    const env = environments.find((candidate) => candidate.id === resource.id);
    return `the direct share of ${env ? env.displayName || env.name : 'this environment'}`;
  };
  const name = memberName(member);
  return (
    <Section
      title="Effective access"
      description={`What ${name} can do, and which shares say so. A direct share beats group shares, which beat the all-environments share.`}
    >
      <Select
        label="For"
        data={[{ value: ACCOUNT, label: 'New environments at the top level (the account)' }, ...environments.map((env) => ({ value: env.id, label: environmentLabel(env) }))]}
        value={target}
        onChange={(value) => setTarget(value ?? ACCOUNT)}
        allowDeselect={false}
        searchable
        maw={460}
      />
      {queryFallback(explain) ??
        (data ? (
          <Stack gap="xs" aria-live="polite" data-testid="effective-access">
            {data.permissions.length > 0 && !data.blockedBy ? (
              <Alert color="green" variant="light" title={`${name} has access (${data.level ? levelLabel[data.level] : '—'} level)`}>
                <PermissionBadges permissions={data.permissions} size="sm" />
              </Alert>
            ) : (
              <Alert color="gray" variant="light" title={`${name} has no access here`}>
                {data.blockedBy ? blockedExplanation[data.blockedBy] : 'No share covers it.'}
              </Alert>
            )}
            {data.via.length ? (
              <div>
                <Text size="sm" fw={500}>
                  Because of
                </Text>
                <List size="sm">
                  {data.via.map((via) => (
                    <List.Item key={via.shareId}>
                      {describe(via.resource)}: {via.roles.map((role) => role.name).join(', ')}
                    </List.Item>
                  ))}
                </List>
              </div>
            ) : null}
          </Stack>
        ) : null)}
    </Section>
  );
}
