import { Checkbox, Group, MultiSelect, Select, Stack, Text } from '@mantine/core';
import type { ApiToken, TokenBody } from '../../api/types';
import { usePermissionCatalog } from '../../collaboration/queries';
import { useAccountEnvironments, useGroups, useOwners } from '../../environments/queries';

export type TokenScopeBody = NonNullable<TokenBody['scope']>;

/** What the scope form holds: off (everything I can do), or an account, one place in it, and permissions. */
export interface ScopeDraft {
  limited: boolean;
  ownerId: string | null;
  /** "account", "group:<id>" or "environment:<id>". */
  place: string;
  permissions: string[];
}

export const noScope: ScopeDraft = { limited: false, ownerId: null, place: 'account', permissions: [] };

/** The `scope` of POST /api/v1/tokens for a draft; undefined when the token is not limited. */
export function scopeOf(draft: ScopeDraft): TokenScopeBody | undefined {
  if (!draft.limited || !draft.ownerId) return undefined;
  const [type, id] = draft.place.split(':') as ['account' | 'group' | 'environment', string | undefined];
  return { ownerId: draft.ownerId, resources: [type === 'account' ? { type } : { type, id }], permissions: draft.permissions as TokenScopeBody['permissions'] };
}

/** A token's scope in words, for the token list. */
export function describeScope(token: Pick<ApiToken, 'scope'>, names: Map<string, string>): string {
  if (!token.scope) return 'Everything I can do';
  const places = token.scope.resources.map((r) => (r.type === 'account' ? 'all environments' : `${r.type} ${names.get(r.id ?? '') ?? r.id}`));
  return `${token.scope.permissions.join(', ')} on ${places.join(', ')}`;
}

/** Limit a new token: the account it acts in, where in it, and which permissions (never more than I hold there). */
export function TokenScopeFields({ value, onChange }: { value: ScopeDraft; onChange: (draft: ScopeDraft) => void }) {
  const { owners } = useOwners();
  const ownerId = value.ownerId ?? owners[0]?.id ?? null;
  const groups = useGroups(ownerId ?? undefined, value.limited && ownerId !== null);
  const environments = useAccountEnvironments(value.limited ? (ownerId ?? undefined) : undefined);
  const catalog = usePermissionCatalog();
  const set = (patch: Partial<ScopeDraft>) => onChange({ ...value, ownerId, ...patch });
  const places = [
    { value: 'account', label: 'All environments (the whole account)' },
    ...(groups.data ?? []).map((group) => ({ value: `group:${group.id}`, label: `Group ${group.name}` })),
    ...environments.map((env) => ({ value: `environment:${env.id}`, label: `Environment ${env.name}` })),
  ];
  return (
    <Stack gap="xs">
      <Checkbox
        label="Limit this token to one account, one place and some permissions"
        checked={value.limited}
        onChange={(event) => set({ limited: event.currentTarget.checked })}
      />
      {value.limited ? (
        <>
          <Group align="flex-start" gap="sm" grow>
            <Select
              label="Acts in"
              allowDeselect={false}
              data={owners.map((owner) => ({ value: owner.id, label: owner.mine ? `My account (${owner.email})` : `${owner.name} (${owner.email})` }))}
              value={ownerId}
              onChange={(id) => set({ ownerId: id, place: 'account' })}
            />
            <Select label="Reaches" allowDeselect={false} data={places} value={value.place} onChange={(place) => set({ place: place ?? 'account' })} />
          </Group>
          <MultiSelect
            label="Permissions"
            placeholder="Pick at least one"
            searchable
            data={(catalog.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.id} — ${p.description}` }))}
            value={value.permissions}
            onChange={(permissions) => set({ permissions })}
          />
          <Text size="xs" c="dimmed">
            A request with this token can do what these allow and you can still do at that moment: if your access there
            narrows or ends, so does the token&apos;s.
          </Text>
        </>
      ) : null}
    </Stack>
  );
}
