import { z } from 'zod';
import { webhookDeliveryStatuses } from '../db/schema/index.js';
import { pageQuery } from '../http/types.js';
import { webhookEventCatalog } from './events.js';

const eventEntry = z.string().min(1).max(100).describe('An event type (share.create), a family (share.*) or * for every event');

export const endpointBody = z.strictObject({
  url: z.string().min(1).max(2000).describe('http(s) URL; loopback, private, link-local and metadata addresses are refused'),
  events: z.array(eventEntry).min(1).max(100),
  description: z.string().max(500).optional(),
  enabled: z.boolean().optional(),
});

export const endpointPatch = endpointBody.partial().strict();

/** `?ownerId=`: only the caller's own account is ever allowed; another's is refused by the rule (403, or 404). */
export const ownerQuery = { ownerId: z.string().min(1).max(100).optional().describe("The account; only the owner's own") };
export const ownerOnlyQuery = z.strictObject(ownerQuery);

export const endpointParams = z.strictObject({ id: z.string().min(1).max(100) });
export const deliveryParams = z.strictObject({ id: z.string().min(1).max(100), deliveryId: z.string().min(1).max(100) });
export const deliveriesQuery = z.strictObject({ ...ownerQuery, ...pageQuery });

export const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().describe('Why Shareplane disabled it (every delivery failed for a day)'),
    failingSince: z.string().nullable().describe('The first failed delivery since the last success'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe('A webhook endpoint (never its secret)');

export const createdEndpointSchema = endpointSchema.extend({ secret: z.string().describe('The signing secret (whsec_…), shown only here') });

export const rotatedSchema = z.object({
  secret: z.string().describe('The new signing secret, shown only here'),
  previousSecretValidUntil: z.string().describe('The old secret also signs until then'),
});

export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().describe('The webhook-id header: the same on every attempt and redelivery'),
    type: z.string(),
    attempt: z.number().int().describe('Attempts made so far'),
    status: z.enum(webhookDeliveryStatuses),
    responseCode: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().describe('The first 1000 characters of the last response'),
    error: z.string().nullable(),
    at: z.string().describe('The last attempt (or when it was queued)'),
    occurredAt: z.string(),
    nextAttemptAt: z.string().nullable(),
  })
  .describe('One event for one endpoint and its last attempt');

export const eventTypesSchema = z.object({
  categories: z.array(z.object({ name: z.string(), types: z.array(z.string()) })),
});

/** The catalog as the API answers it. */
export const eventTypes = () => ({
  categories: Object.entries(webhookEventCatalog).map(([name, types]) => ({ name, types: [...types] })),
});
