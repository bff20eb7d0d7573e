import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';

export const notificationsKey = ['notifications'] as const;

/** The latest notifications and the unread count, refreshed every 30 seconds for the bell. */
export function useLatestNotifications() {
  return useQuery({
    queryKey: [...notificationsKey, 'latest'],
    queryFn: () => ok(api.GET('/api/v1/notifications', { params: { query: { limit: 8 } } })),
    refetchInterval: 30_000,
  });
}

/** Every notification, page by page, optionally only the unread ones. */
export function useNotificationPages(unread: boolean) {
  return useInfiniteQuery({
    queryKey: [...notificationsKey, 'pages', unread],
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/notifications', { params: { query: { limit: 30, cursor: pageParam, ...(unread ? { unread: 'true' as const } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => ok(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => ok(api.POST('/api/v1/notifications/read-all')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}
