import { Code, Text } from '@mantine/core';
import { ShownOnce } from '../components/ShownOnce';

/** A signing secret shown once, after registering an endpoint or rotating its secret. */
export function SecretNotice({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  return (
    <ShownOnce title={title} secret={secret} testId="webhook-secret" copyLabel="Copy the secret" onDone={onDone}>
      <Text size="sm">
        Copy the signing secret now: this is the only time it is shown. Verify each delivery with it using a Standard Webhooks library
        (headers <Code>webhook-id</Code>, <Code>webhook-timestamp</Code>, <Code>webhook-signature</Code>).
      </Text>
    </ShownOnce>
  );
}
