import { Alert, Button, Code, CopyButton, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A secret the server shows only once (an API token, a signing secret): what it is for, the secret itself, a copy
 * button and the acknowledgement that hides it.
 */
export function ShownOnce(props: { title: string; secret: string; testId: string; copyLabel: string; onDone: () => void; children: ReactNode }) {
  const { title, secret, testId, copyLabel, onDone, children } = props;
  return (
    <Alert color="green" variant="light" title={title} role="status">
      <Stack gap="xs">
        {children}
        <Code block data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {secret}
        </Code>
        <Group gap="xs">
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" color={copied ? 'green' : undefined} onClick={copy}>
                {copied ? 'Copied' : copyLabel}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
