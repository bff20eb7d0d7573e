import { Alert, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { isApiError, isPreview, messageOf } from '../api/client';
import type { AccessChange, AccessPreview } from '../api/types';
import { Loading } from './Feedback';
import { IconAlert } from './Icons';

/** A change that can move access, asked first with `?dryRun=true`: `run(true)` previews it, `run(false)` makes it. */
export interface Arrangement {
  /** What the preview depends on (the change's target and its new values), so a new choice previews again. */
  key: readonly unknown[];
  run: (dryRun: boolean) => Promise<unknown>;
}

/** One sentence per way a member's access moves: "The member “contractor” gains env.delete on prod-web". */
export function changeSentences(change: AccessChange): string[] {
  const who = change.memberLabel ? `The member “${change.memberLabel}”` : 'A member';
  const sentences: string[] = [];
  if (change.gained.length) sentences.push(`${who} gains ${change.gained.join(', ')} on ${change.environmentName}`);
  if (change.lost.length) sentences.push(`${who} loses ${change.lost.join(', ')} on ${change.environmentName}`);
  return sentences;
}

/** The preview of an arrangement while its dialog is open; refetched for every new choice, never cached. */
export function useAccessPreview(arrangement: Arrangement | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['access-preview', ...(arrangement?.key ?? [])],
    queryFn: async (): Promise<AccessPreview> => {
      const answer = await arrangement?.run(true);
      if (!isPreview(answer)) throw new Error('The server answered no preview of this change.');
      return answer;
    },
    enabled: enabled && arrangement !== undefined,
    gcTime: 0,
    staleTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export type PreviewState = ReturnType<typeof useAccessPreview>;

/**
 * Why the change cannot be made, as the server says: the preview's refusal (the change would give someone access
 * nobody granted) or the 403 the dry run itself answered. Null when it can.
 */
export function previewBlock(preview: PreviewState): { title: string; detail: string } | null {
  if (preview.data?.refusal) return { title: 'Only the owner can make this change', detail: preview.data.refusal.detail };
  if (isApiError(preview.error, 403)) {
    return { title: preview.error.code === 'would_widen_access' ? 'Only the owner can make this change' : 'Not allowed for you', detail: messageOf(preview.error) };
  }
  return null;
}

/** Whether the confirm button waits: no answer yet, or a refusal. */
export const previewHolds = (preview: PreviewState) => preview.isFetching || preview.isPending || previewBlock(preview) !== null;

/** What the change does to access, from its preview: who gains and loses what, and why it cannot be made. */
export function AccessChanges({ preview }: { preview: PreviewState }) {
  if (preview.isPending && preview.fetchStatus === 'idle') return null;
  if (preview.isPending) return <Loading label="Checking what this changes for access…" />;
  const block = previewBlock(preview);
  if (preview.error && !block) {
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} role="alert" title="Could not preview this change">
        {messageOf(preview.error)}
      </Alert>
    );
  }
  const sentences = (preview.data?.accessChanges ?? []).flatMap(changeSentences);
  return (
    <Stack gap="xs" data-testid="access-changes">
      <Text size="sm" fw={600}>
        Access changes
      </Text>
      {sentences.length ? (
        <List size="sm" spacing={2}>
          {sentences.map((sentence) => (
            <List.Item key={sentence}>{sentence}.</List.Item>
          ))}
        </List>
      ) : preview.data ? (
        <Text size="sm" c="dimmed">
          Nobody’s access changes.
        </Text>
      ) : null}
      {block ? (
        <Alert color="orange" variant="light" icon={<IconAlert />} role="alert" title={block.title} data-testid="access-refusal">
          {block.detail}
        </Alert>
      ) : null}
    </Stack>
  );
}
