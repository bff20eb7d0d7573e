import type { AccessRequest } from '../api/types';

/** How a request names its resource: all environments, the group "…", the environment "…". */
export function requestResource(request: Pick<AccessRequest, 'resource'>): string {
  if (request.resource.type === 'account') return 'all environments';
  return `the ${request.resource.type} ${request.resource.name ?? request.resource.id ?? ''}`.trim();
}

export const requestStatusColor: Record<AccessRequest['status'], string> = {
  pending: 'yellow',
  approved: 'green',
  denied: 'red',
  cancelled: 'gray',
  lapsed: 'gray',
};
