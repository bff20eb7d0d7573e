import { z } from 'zod';
import type { AccessDelta } from '../../access/account-access.js';
import { permissions as catalogOrder, type Permission } from '../../access/catalog.js';

/** One line of an impact preview, as the caller may read it. */
export interface AccessChangeView {
  memberId?: string;
  memberLabel?: string;
  environmentId: string;
  environmentName: string;
  gained: Permission[];
  lost: Permission[];
}

export const accessChangeSchema = z
  .object({
    memberId: z.string().optional().describe('Only for the owner and managers'),
    memberLabel: z.string().optional().describe("The owner's alias for the member, else its name; only for the owner and managers"),
    environmentId: z.string(),
    environmentName: z.string(),
    gained: z.array(z.string()),
    lost: z.array(z.string()),
  })
  .describe("How one member's permissions on one environment would move");

export const previewRefusalSchema = z
  .object({ code: z.literal('would_widen_access'), detail: z.string() })
  .describe('Why the real change would be refused for this caller, judged on everything (environments it cannot see included)');

export const accessPreviewSchema = z
  .object({
    dryRun: z.literal(true),
    accessChanges: z.array(accessChangeSchema),
    refusal: previewRefusalSchema.nullable().describe('null when the caller may make the change as previewed'),
  })
  .describe('What the change would do to access (`?dryRun=true`): nothing was changed');

export type AccessPreview = z.infer<typeof accessPreviewSchema>;

/** Who reads a preview: managers and the owner see members; anyone sees only environments it can see itself. */
export interface PreviewReader {
  seesMembers: boolean;
  sees(environmentId: string): boolean;
}

const inCatalogOrder = (list: readonly Permission[]) => [...list].sort((a, b) => catalogOrder.indexOf(a) - catalogOrder.indexOf(b));

/** The deltas a reader may see, in the API's words. */
export function presentChanges(deltas: readonly AccessDelta[], reader: PreviewReader): AccessChangeView[] {
  return deltas
    .filter((delta) => reader.sees(delta.environmentId))
    .map((delta) => ({
      ...(reader.seesMembers ? { memberId: delta.collaborationId, memberLabel: delta.label } : {}),
      environmentId: delta.environmentId,
      environmentName: delta.environmentName,
      gained: inCatalogOrder(delta.gained),
      lost: inCatalogOrder(delta.lost),
    }));
}

/** Thrown inside a dry run's transaction to roll it back; the route answers the preview it carries. */
export class Previewed extends Error {
  constructor(readonly preview: AccessPreview) {
    super('dry run');
  }
}

/** Runs `work`; a dry run inside it rolls back and answers its preview instead. */
export async function previewOr<T>(work: () => Promise<T>): Promise<T | AccessPreview> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Previewed) return error.preview;
    throw error;
  }
}

/** Whether an answer is a dry run's preview. */
export const isPreview = (answer: unknown): answer is AccessPreview =>
  typeof answer === 'object' && answer !== null && (answer as { dryRun?: unknown }).dryRun === true;
