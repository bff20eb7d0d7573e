import { Badge, type BadgeProps, Group } from '@mantine/core';

function BadgeList({ labels, ...badge }: { labels: readonly string[] } & BadgeProps) {
  if (labels.length === 0) return <>—</>;
  return (
    <Group gap={4}>
      {labels.map((label) => (
        <Badge key={label} tt="none" {...badge}>
          {label}
        </Badge>
      ))}
    </Group>
  );
}

/** The roles a share or an access grants, as badges; a dash for none. */
export function RoleBadges({ roles, ...badge }: { roles: readonly { name: string }[] } & BadgeProps) {
  return <BadgeList labels={roles.map((role) => role.name)} variant="light" {...badge} />;
}

/** Permission ids (env.view, …) as small outlined badges; a dash for none. */
export function PermissionBadges({ permissions, ...badge }: { permissions: readonly string[] } & BadgeProps) {
  return <BadgeList labels={permissions} variant="outline" size="xs" {...badge} />;
}
