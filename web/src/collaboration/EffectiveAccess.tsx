import { Alert, Anchor, List, Select, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAccessRequests } from '../requests/queries';
import { requestResource } from '../requests/labels';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import type { Environment, Group, Member, Share, TeamShare } from '../api/types';
import { queryFallback } from '../components/QueryState';
import { Section } from '../components/Section';
import { descendantIds, environmentLabel } from '../environments/model';
import { useAccountEnvironments, useGroups } from '../environments/queries';
import { blockedExplanation, levelLabel, memberName, teamsPath } from './labels';
import { ownerQuery } from './queries';
import { PermissionBadges } from './RoleBadges';

const ACCOUNT = '';

/** The first environment a member's shares (its own, then its teams') reach: a direct share's, then a shared group's (or its subgroups'), then any. */
function firstShared(shares: readonly (Share | TeamShare)[], environments: readonly Environment[], groups: readonly Group[]): string | undefined {
  const live = shares.filter((share) => !share.expired);
  const direct = live.find((share) => share.resource.type === 'environment' && environments.some((env) => env.id === share.resource.id));
  if (direct?.resource.id) return direct.resource.id;
  for (const share of live.filter((candidate) => candidate.resource.type === 'group' && candidate.resource.id)) {
    const inside = descendantIds(groups, share.resource.id ?? '');
    const env = environments.find((candidate) => candidate.groups.some((group) => inside.has(group.id)));
    if (env) return env.id;
  }
  return live.some((share) => share.resource.type === 'account') ? environments[0]?.id : undefined;
}

/** For any environment (or the account), what the member can do there and why: the API's own explanation. */
export function EffectiveAccess({ member, shares, ownerId, accountId }: { member: Member; shares: readonly (Share | TeamShare)[]; ownerId?: string | undefined; accountId: string | undefined }) {
  const environments = useAccountEnvironments(accountId);
  const groups = useGroups(ownerId);
  const [chosen, setTarget] = useState<string | null>(null);
  // Until someone picks, the panel explains the first environment a share reaches: what was just shared.
  const target = chosen ?? firstShared(shares, environments, groups.data ?? []) ?? ACCOUNT;
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
  const requests = useAccessRequests(ownerId, 'pending');
  const pending = (requests.data ?? []).filter((request) => request.memberId === member.id);
  return (
    <Section
      title="Effective access"
      description={`What ${name} can do, and which shares say so, its own and its teams’. A direct share beats group shares, which beat the all-environments share.`}
    >
      <Select
        label="For"
        data={[...environments.map((env) => ({ value: env.id, label: environmentLabel(env) })), { value: ACCOUNT, label: 'Creating environments at the top level' }]}
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
              <Alert
                color="green"
                variant="light"
                title={
                  target === ACCOUNT
                    ? `What ${name} may do in environments it creates at the top level (${data.level ? levelLabel[data.level] : '—'} level)`
                    : `${name} has access (${data.level ? levelLabel[data.level] : '—'} level)`
                }
              >
                {target === ACCOUNT && !data.permissions.includes('env.create') ? (
                  <Text size="sm" mb={6}>
                    {name} cannot create environments at the top level (no env.create on the all-environments share).
                  </Text>
                ) : null}
                <PermissionBadges permissions={data.permissions} size="sm" />
              </Alert>
            ) : (
              <Alert color="gray" variant="light" title={target === ACCOUNT ? `${name} cannot create environments at the top level` : `${name} has no access here`}>
                {data.blockedBy ? blockedExplanation[data.blockedBy] : 'No share covers it.'}
              </Alert>
            )}
            {data.via.length ? (
              <div>
                <Text size="sm" fw={500}>
                  Because of
                </Text>
                <List size="sm">
                  {data.via.map((via) => {
                    // The team whose share this is; null for the member's own.
                    const team = via.team;
                    return (
                      <List.Item key={via.shareId}>
                        {describe(via.resource)}
                        {team ? (
                          <>
                            {' '}
                            through the team{' '}
                            <Anchor component={Link} to={`${teamsPath}/${team.id}`} size="sm">
                              {team.name}
                            </Anchor>
                          </>
                        ) : null}
                        : {via.roles.map((role) => role.name).join(', ')}
                      </List.Item>
                    );
                  })}
                </List>
              </div>
            ) : null}
          </Stack>
        ) : null)}
      {pending.length ? (
        <Alert color="yellow" variant="light" title={`${name} requests more access`} data-testid="member-access-requests">
          <List size="sm">
            {pending.map((request) => (
              <List.Item key={request.id}>
                {request.roles.map((role) => role.name).join(', ')} on {requestResource(request)} for {request.durationHours} h: “{request.reason}”
              </List.Item>
            ))}
          </List>
          <Anchor component={Link} to={`/access-requests${accountId ? `?owner=${accountId}` : ''}`} size="sm">
            Answer in Access requests
          </Anchor>
        </Alert>
      ) : null}
    </Section>
  );
}
