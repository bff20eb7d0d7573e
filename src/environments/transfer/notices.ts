import type { NoticeText } from '../../notifications/deliver.js';
import { readableTime } from '../../collaboration/notices.js';

const FOOTNOTE = 'You get this mail because an environment transfer on Shareplane concerns your account.';
const INBOX = '/notifications';
const environmentPage = (id: string) => `/environments/${id}`;

interface About {
  environment: { id: string; name: string };
  from: { name: string; email: string };
  to: { name: string; email: string };
}

/** To the recipient: an owner asks to hand it an environment. */
export function transferRequestedNotice(about: About, expiresAt: Date): NoticeText {
  return {
    type: 'transfer.requested',
    title: `${about.from.name} wants to transfer ${about.environment.name} to you`,
    body: `${about.from.name} (${about.from.email}) asks you to become the owner of the environment ${about.environment.name}. Accept or decline by ${readableTime(expiresAt)}.`,
    details: [
      'Accepting makes your account its owner: it keeps running, counts against your limits, and is billed to you from the next hour on. Its current collaborators lose their access unless you share it with them.',
    ],
    link: INBOX,
    actionLabel: 'Review the transfer',
    footnote: FOOTNOTE,
  };
}

/** To the giver: the recipient accepted; the environment is no longer in its account. */
export function transferAcceptedNotice(about: About): NoticeText {
  return {
    type: 'transfer.accepted',
    title: `${about.to.name} accepted ${about.environment.name}`,
    body: `${about.to.name} (${about.to.email}) accepted the transfer of ${about.environment.name}: it belongs to their account now, and its hours are billed to them from the next hour on.`,
    details: ['The shares on it in your account ended, and it left your groups.'],
    link: '/environments',
    actionLabel: 'See your environments',
    footnote: FOOTNOTE,
  };
}

/** To the giver: the recipient declined; the environment stays. */
export function transferDeclinedNotice(about: About): NoticeText {
  return {
    type: 'transfer.declined',
    title: `${about.to.name} declined ${about.environment.name}`,
    body: `${about.to.name} (${about.to.email}) declined the transfer of ${about.environment.name}. It stays in your account, unchanged.`,
    link: environmentPage(about.environment.id),
    actionLabel: 'Open the environment',
    footnote: FOOTNOTE,
  };
}

/** To the recipient: the giver withdrew its request. */
export function transferCancelledNotice(about: About): NoticeText {
  return {
    type: 'transfer.cancelled',
    title: `${about.from.name} cancelled the transfer of ${about.environment.name}`,
    body: `${about.from.name} (${about.from.email}) withdrew the request to transfer ${about.environment.name} to you. Nothing changed in your account.`,
    link: INBOX,
    actionLabel: 'See your notifications',
    footnote: FOOTNOTE,
  };
}

/** To the giver: the recipient let the 7 days pass; the environment stays. */
export function transferExpiredNotice(about: About): NoticeText {
  return {
    type: 'transfer.expired',
    title: `The transfer of ${about.environment.name} expired`,
    body: `${about.to.name} (${about.to.email}) did not answer the transfer of ${about.environment.name} within 7 days. It stays in your account, unchanged; you may ask again.`,
    link: environmentPage(about.environment.id),
    actionLabel: 'Open the environment',
    footnote: FOOTNOTE,
  };
}
