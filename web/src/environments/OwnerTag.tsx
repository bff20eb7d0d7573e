import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import type { Person } from '../api/types';
import { IconShare } from '../components/Icons';

/** The mark of a shared environment: its owner's name, a button that filters the list by that owner. */
export function OwnerTag({ owner, onSelect }: { owner: Person; onSelect?: (ownerId: string) => void }) {
  const badge = (
    <Badge
      variant="light"
      color="grape"
      leftSection={<IconShare size={12} />}
      style={{ textTransform: 'none', cursor: onSelect ? 'pointer' : undefined }}
      data-testid="owner-tag"
    >
      {owner.name}
    </Badge>
  );
  if (!onSelect) return <Tooltip label={`Shared by ${owner.email}`}>{badge}</Tooltip>;
  return (
    <Tooltip label={`Shared by ${owner.email}: show only this owner's environments`}>
      <UnstyledButton onClick={() => onSelect(owner.id)} aria-label={`Shared by ${owner.name} (${owner.email}); show only this owner's environments`}>
        {badge}
      </UnstyledButton>
    </Tooltip>
  );
}
