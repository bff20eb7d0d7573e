import { z } from 'zod';
import { accountTypes } from '../db/schema/index.js';

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must have at most 254 characters')
  .pipe(z.email('must be an email address'))
  .transform((value) => value.toLowerCase());

export const personNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must have at most 100 characters');

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    type: z.enum(accountTypes),
    trialEndsAt: z.string().nullable(),
    trialExpired: z.boolean(),
    emailVerified: z.boolean(),
    isAdmin: z.boolean(),
    createdAt: z.string(),
  })
  .describe('An account');

export type UserView = z.infer<typeof userSchema>;
