import type { NoticeText as Notice } from '../notifications/deliver.js';

/** A time as people read it in mail: `2025-07-14 10:00 UTC`. */
export function readableTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

interface Who {
  name: string;
  email: string;
  /** The owner's alias for the member, if it gave one: the owner knows the member by it. */
  alias: string | null;
}

/** The member as its owner names it: the alias, with the account name and email after it. */
const asOwnerNames = (member: Who) => (member.alias ? `${member.alias} (${member.name}, ${member.email})` : `${member.name} (${member.email})`);

const memberPage = (collaborationId: string) => `/settings/collaboration/members/${collaborationId}`;

/** To the owner: a member accepted the invitation. */
export function acceptedNotice(member: Who, collaborationId: string): Notice {
  return {
    type: 'collaboration.accepted',
    title: `${member.alias ?? member.name} accepted your invitation`,
    subject: `${member.alias ?? member.name} accepted your invitation to collaborate on Shareplane`,
    body: `${asOwnerNames(member)} accepted your invitation and is now a member of your account.`,
    details: ['Nothing is shared on acceptance: choose which environments, groups or the whole account this member may use, and with which roles.'],
    link: memberPage(collaborationId),
    actionLabel: 'Share environments',
  };
}

/** To the owner: the invitee declined. */
export function rejectedNotice(invitee: { email: string; alias: string | null }, collaborationId: string): Notice {
  const who = invitee.alias ?? invitee.email;
  return {
    type: 'collaboration.rejected',
    title: `${who} declined your invitation`,
    subject: `${who} declined your invitation to collaborate on Shareplane`,
    body: `${invitee.alias ? `${invitee.alias} (${invitee.email})` : invitee.email} declined your invitation to collaborate on your account. You can invite this address again later.`,
    link: memberPage(collaborationId),
    actionLabel: 'See your members',
  };
}

/** To the owner: a member left. */
export function leftNotice(member: Who, collaborationId: string): Notice {
  return {
    type: 'collaboration.left',
    title: `${member.alias ?? member.name} left your account`,
    subject: `${member.alias ?? member.name} stopped collaborating on your Shareplane account`,
    body: `${asOwnerNames(member)} left your account. Their access ended at once and their shares were deleted.`,
    link: memberPage(collaborationId),
    actionLabel: 'See your members',
  };
}

/** To the member: the owner suspended the collaboration. */
export function suspendedNotice(ownerName: string): Notice {
  return {
    type: 'collaboration.suspended',
    title: `${ownerName} suspended your access`,
    subject: `Your access to ${ownerName}'s Shareplane account is suspended`,
    body: `${ownerName} suspended your collaboration. You cannot see or act on their environments until they re-activate it; your shares are kept.`,
    link: '/shared-with-me',
    actionLabel: 'See your collaborations',
  };
}

/** To the member: the owner re-activated the collaboration. */
export function activatedNotice(ownerName: string): Notice {
  return {
    type: 'collaboration.activated',
    title: `${ownerName} re-activated your access`,
    subject: `Your access to ${ownerName}'s Shareplane account is back`,
    body: `${ownerName} re-activated your collaboration. What they shared with you is available again.`,
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To the member: the owner removed the collaboration. */
export function removedNotice(ownerName: string): Notice {
  return {
    type: 'collaboration.removed',
    title: `${ownerName} removed you from their account`,
    subject: `You no longer collaborate on ${ownerName}'s Shareplane account`,
    body: `${ownerName} removed you from their account. You no longer have access to any of their environments.`,
    link: '/shared-with-me',
    actionLabel: 'See your collaborations',
  };
}

interface ShareWording {
  ownerName: string;
  /** E.g. `the environment "Shop"`, `all environments`. */
  resource: string;
  roleNames: string[];
  expiresAt: Date | null;
}

const rolesText = (names: string[]) => names.join(', ');
const untilText = (expiresAt: Date | null) => (expiresAt ? ` until ${readableTime(expiresAt)}` : '');

/** To the member: a new share. */
export function shareGrantedNotice(w: ShareWording): Notice {
  return {
    type: 'share.granted',
    title: `${w.ownerName} shared ${w.resource} with you`,
    subject: `${w.ownerName} gave you access to ${w.resource} on Shareplane`,
    body: `${w.ownerName} gave you access to ${w.resource} as ${rolesText(w.roleNames)}${untilText(w.expiresAt)}.`,
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To the member: a share's roles or expiry changed. */
export function shareChangedNotice(w: ShareWording, before: { roleNames: string[]; expiresAt: Date | null }): Notice {
  return {
    type: 'share.changed',
    title: `${w.ownerName} changed your access to ${w.resource}`,
    subject: `Your access to ${w.resource} on ${w.ownerName}'s Shareplane account changed`,
    body: `${w.ownerName} changed your access to ${w.resource}: now ${rolesText(w.roleNames)}${untilText(w.expiresAt)} (was ${rolesText(before.roleNames)}${untilText(before.expiresAt)}).`,
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To a member holding a custom role: the owner changed what the role allows. */
export function roleChangedNotice(ownerName: string, roleName: string, added: string[], removed: string[]): Notice {
  const parts = [added.length ? `it now also allows ${added.join(', ')}` : '', removed.length ? `it no longer allows ${removed.join(', ')}` : ''];
  return {
    type: 'share.changed',
    title: `${ownerName} changed the role ${roleName}`,
    subject: `The role ${roleName} you hold on ${ownerName}'s Shareplane account changed`,
    body: `${ownerName} changed the role ${roleName}, which you hold in that account: ${parts.filter(Boolean).join('; ')}.`,
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To the member: a share was deleted, or ended with the group or environment it was on (`because`). */
export function shareRevokedNotice(w: ShareWording, because?: string): Notice {
  return {
    type: 'share.revoked',
    title: `${w.ownerName} stopped sharing ${w.resource} with you`,
    subject: `Your access to ${w.resource} on ${w.ownerName}'s Shareplane account ended`,
    body: because
      ? `Your ${rolesText(w.roleNames)} access to ${w.resource} ended: ${because}.`
      : `${w.ownerName} revoked your ${rolesText(w.roleNames)} access to ${w.resource}.`,
    link: '/shared-with-me',
    actionLabel: 'See what is shared with you',
  };
}
