/** Query keys of the webhooks page. */
export const webhooksKey = ['webhooks'] as const;
export const deliveriesKey = (endpointId: string) => ['webhooks', endpointId, 'deliveries'] as const;
