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

export const emailUnverified = (detail = 'Confirm your email address with the link we mailed you before accepting an invitation.') =>
  problem(403, 'email_unverified', 'Email not verified', detail);

/** Invitations send mail to any address: only an account whose own address is proven may send them (no spam relay). */
export const inviterUnverified = () =>
  emailUnverified('Confirm your email address with the link we mailed you before inviting anyone: invitations come only from verified accounts.');

export const invitationNotFound = () =>
  problem(404, 'not_found', 'Not found', 'This invitation link is unknown, was already used, replaced by a newer one or withdrawn.');
