import { Group, Text } from '@mantine/core';
import { Link } from 'react-router';

/** The product's name and mark, linking home. */
export function Brand() {
  return (
    <Group
      gap={8}
      wrap="nowrap"
      renderRoot={(props) => <Link to="/" {...props} />}
      style={{ textDecoration: 'none', color: 'inherit' }}
      aria-label="Shareplane home"
    >
      <img src="/favicon.svg" width={26} height={26} alt="" />
      <Text fw={700} size="lg" component="span">
        Shareplane
      </Text>
    </Group>
  );
}
