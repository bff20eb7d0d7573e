import { Anchor, Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { api, isApiError, ok } from '../../api/client';
import type { DevMail } from '../../api/types';
import { EmptyHint } from '../../components/Feedback';
import { IconInbox, IconSearch } from '../../components/Icons';
import { formatDateTime } from '../../components/format';
import { Page } from '../../components/Page';
import { queryFallback } from '../../components/QueryState';
import { useQueryString } from '../../components/useQueryString';

const urlPattern = /https?:\/\/[^\s<>"')]+/g;

/** A mail's text with its links clickable; links to this dashboard stay in this tab. */
function MailText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0];
    const at = match.index;
    parts.push(<Fragment key={`t${at}`}>{text.slice(last, at)}</Fragment>);
    const internal = url.startsWith(window.location.origin);
    parts.push(
      <Anchor key={`a${at}`} href={url} {...(internal ? {} : { target: '_blank', rel: 'noreferrer' })} style={{ wordBreak: 'break-all' }}>
        {url}
      </Anchor>,
    );
    last = at + url.length;
  }
  parts.push(<Fragment key="end">{text.slice(last)}</Fragment>);
  return (
    <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="mail-text">
      {parts}
    </Text>
  );
}

const statusColor: Record<DevMail['status'], string> = { pending: 'gray', sent: 'green', failed: 'red' };

function MailView({ mail }: { mail: DevMail }) {
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-labelledby="mail-subject">
      <Stack gap="xs">
        <Title order={2} size="h4" id="mail-subject">
          {mail.subject}
        </Title>
        <Text size="sm">
          To <strong>{mail.to}</strong> · {formatDateTime(mail.createdAt)}
        </Text>
        <MailText text={mail.text} />
      </Stack>
    </Paper>
  );
}

/** The dev mailbox: every mail the server would have sent, readable here when no SMTP server is configured. */
export function DevMailPage() {
  const [params, update] = useQueryString();
  const to = params.get('to') ?? '';
  const openId = params.get('mail');
  const [debouncedTo] = useDebouncedValue(to.trim(), 250);
  const mails = useInfiniteQuery({
    queryKey: ['dev-mail', debouncedTo],
    queryFn: ({ pageParam }) =>
      ok(api.GET('/api/v1/dev/mail', { params: { query: { to: debouncedTo || undefined, cursor: pageParam, limit: 50 } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 3000,
  });
  const items = mails.data?.pages.flatMap((page) => page.items) ?? [];
  const open = items.find((mail) => mail.id === openId);

  return (
    <Page
      title="Dev mailbox"
      description="No mail server (SMTP_URL) is configured, so every mail Shareplane sends stays here. Open one to follow its links."
    >
      {mails.isError && isApiError(mails.error, 404) ? (
        <EmptyHint icon={<IconInbox size={28} />} title="This server sends real mail">
          SMTP_URL is configured, so mails go to their recipients and the dev mailbox is off.
        </EmptyHint>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Stack gap="sm" miw={0}>
            <TextInput
              label="Recipient"
              placeholder="someone@example.com"
              type="search"
              leftSection={<IconSearch size={16} />}
              value={to}
              onChange={(event) => update({ to: event.currentTarget.value || null, mail: null }, { replace: true })}
            />
            {queryFallback(mails, 'Loading mail…') ??
              (items.length === 0 ? (
              <EmptyHint icon={<IconInbox size={28} />} title="No mail yet">
                Sign-ups, invitations and password resets send mail; it shows up here within seconds.
              </EmptyHint>
            ) : (
              // A plain scrolling box: subjects truncate to its width instead of widening it.
              <Box mah={640} style={{ overflowY: 'auto', overflowX: 'hidden' }}>
                <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Mails, newest first">
                  {items.map((mail) => (
                    <li key={mail.id}>
                      <UnstyledButton
                        onClick={() => update({ mail: mail.id })}
                        aria-current={mail.id === openId ? 'true' : undefined}
                        w="100%"
                        p="sm"
                        style={{
                          border: '1px solid var(--mantine-color-gray-3)',
                          borderRadius: 8,
                          background: mail.id === openId ? 'var(--mantine-color-blue-0)' : undefined,
                        }}
                      >
                        <Group justify="space-between" gap="xs" wrap="nowrap">
                          <Text size="sm" fw={600} truncate style={{ minWidth: 0 }}>
                            {mail.subject}
                          </Text>
                          <Badge size="sm" variant="light" color={statusColor[mail.status]}>
                            {mail.status}
                          </Badge>
                        </Group>
                        <Text size="xs" c="dimmed" truncate>
                          to {mail.to} · {formatDateTime(mail.createdAt)}
                        </Text>
                      </UnstyledButton>
                    </li>
                  ))}
                </Stack>
                {mails.hasNextPage ? (
                  <Button variant="default" size="xs" mt="sm" onClick={() => void mails.fetchNextPage()} loading={mails.isFetchingNextPage}>
                    Older mail
                  </Button>
                ) : null}
              </Box>
            ))}
          </Stack>
          <div style={{ minWidth: 0 }}>
            {open ? (
              <MailView mail={open} />
            ) : items.length > 0 ? (
              <EmptyHint icon={<IconInbox size={28} />} title="Pick a mail">
                Choose a mail in the list to read it here.
              </EmptyHint>
            ) : null}
          </div>
        </SimpleGrid>
      )}
    </Page>
  );
}
