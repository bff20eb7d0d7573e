import { z } from 'zod';
import { MONEY_PATTERN } from '../money.js';

export const budgetBody = z.strictObject({
  monthlyBudget: z
    .string()
    .regex(MONEY_PATTERN, 'must be an amount like "25" or "25.50" (up to six decimal places)')
    .describe('What the environments this member creates in the account may cost per UTC month'),
  maxCloudlets: z.number().int().min(1).max(1_000_000).nullable().optional().describe("At most this many of the member's cloudlets running at once; null: no cap"),
  hardStop: z.boolean().default(false).describe("At 100 %, also stop the member's running environments"),
});

export const budgetSchema = z
  .object({
    memberId: z.string().describe('The collaboration id'),
    monthlyBudget: z.string(),
    maxCloudlets: z.number().int().nullable(),
    hardStop: z.boolean(),
    month: z.string().describe('The UTC month counted, e.g. 2030-01'),
    spentThisMonth: z.string().describe("What the member's environments in the account cost this month"),
    /** 0–100+: spent as a share of the budget, rounded down. */
    percent: z.number().int(),
    warned: z.boolean().describe('80 % reached'),
    reached: z.boolean().describe('100 % reached: the member creates, starts and scales up nothing more here (409 spend_cap_reached)'),
    updatedAt: z.string(),
  })
  .describe("A member's monthly spend guardrail in the owner's account, and where it stands");

export const budgetAnswer = z.object({ budget: budgetSchema.nullable() });
export type BudgetView = z.infer<typeof budgetSchema>;
