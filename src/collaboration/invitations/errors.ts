import { problem } from '../../http/errors.js';

/** The invitation problems of API.md, with their stable codes. */
export const invitationExpired = (expiredAt: Date) =>
  problem(410, 'invitation_expired', 'Invitation expired', `This invitation expired on ${expiredAt.toISOString()}. Ask the owner to send it again.`, {
    expiredAt: expiredAt.toISOString(),
  });

export const invitationEmailMismatch = (invitedEmail: string) =>
  problem(
    403,
    'invitation_email_mismatch',
    'Invitation for another email',
    `This invitation is for ${invitedEmail}. Sign in with that account (or sign up through the link if it has none) to accept it.`,
    { invitedEmail },
  );

export const emailUnverified = () =>
  problem(
    403,
    'email_unverified',
    'Email not verified',
    'Confirm your email address with the link we mailed you before accepting an invitation.',
  );

export const invitationNotFound = () =>
  problem(404, 'not_found', 'Not found', 'This invitation link is unknown, was already used, replaced by a newer one or withdrawn.');
