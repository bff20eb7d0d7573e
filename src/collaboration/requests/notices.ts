import type { NoticeText } from '../../notifications/deliver.js';
import { readableTime } from '../notices.js';

/** How notices name a request: what was asked for, where. */
export interface RequestWording {
  ownerName: string;
  /** The member as the owner knows it (alias first). */
  memberLabel: string;
  /** E.g. `the environment "Shop"`. */
  resource: string;
  roleNames: string[];
  hours: number;
  reason: string;
}

const hoursText = (hours: number) => (hours === 1 ? '1 hour' : `${hours} hours`);
const inbox = (ownerId: string) => `/access-requests?owner=${ownerId}`;

/** To the owner: a member asks for access. */
export function requestedNotice(w: RequestWording, ownerId: string, lapsesAt: Date): NoticeText {
  return {
    type: 'access_request.created',
    title: `${w.memberLabel} requests ${w.roleNames.join(', ')} on ${w.resource}`,
    subject: `${w.memberLabel} requests access to ${w.resource} on Shareplane`,
    body: `${w.memberLabel} asks for ${w.roleNames.join(', ')} on ${w.resource} for ${hoursText(w.hours)}: “${w.reason}”.`,
    details: [
      'You or a manager may approve it (with fewer roles or a shorter time if you like) or deny it with a comment. An approval gives a share that ends by itself.',
      `Unanswered, the request lapses on ${readableTime(lapsesAt)}.`,
    ],
    link: inbox(ownerId),
    actionLabel: 'Answer the request',
  };
}

/** To the requester: the request was approved and a share given until `expiresAt`. */
export function approvedNotice(w: Omit<RequestWording, 'memberLabel' | 'reason'>, expiresAt: Date | null): NoticeText {
  return {
    type: 'access_request.approved',
    title: `Your request for ${w.resource} was approved`,
    subject: `Your access request to ${w.resource} on ${w.ownerName}'s Shareplane account was approved`,
    body: `You now have ${w.roleNames.join(', ')} on ${w.resource} of ${w.ownerName}'s account${expiresAt ? ` until ${readableTime(expiresAt)}` : ''}.`,
    details: ['The access ends by itself at that time; request it again if you need more.'],
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To the requester: the request was denied, with the approver's comment. */
export function deniedNotice(w: Omit<RequestWording, 'memberLabel' | 'reason' | 'hours'>, comment: string | null): NoticeText {
  return {
    type: 'access_request.denied',
    title: `Your request for ${w.resource} was denied`,
    subject: `Your access request to ${w.resource} on ${w.ownerName}'s Shareplane account was denied`,
    body: `Your request for ${w.roleNames.join(', ')} on ${w.resource} of ${w.ownerName}'s account was denied${comment ? `: “${comment}”` : '.'}`,
    link: '/access-requests',
    actionLabel: 'See your requests',
  };
}

/** To the requester: nobody answered within 24 hours, so the request lapsed and nothing was granted. */
export function lapsedNotice(w: Omit<RequestWording, 'memberLabel' | 'reason' | 'hours'>): NoticeText {
  return {
    type: 'access_request.lapsed',
    title: `Your request for ${w.resource} lapsed`,
    subject: `Your access request to ${w.resource} on ${w.ownerName}'s Shareplane account lapsed unanswered`,
    body: `Nobody answered your request for ${w.roleNames.join(', ')} on ${w.resource} of ${w.ownerName}'s account within 24 hours, so it lapsed and nothing was granted.`,
    details: ['You may ask again, or reach the owner another way if it is urgent.'],
    link: '/access-requests',
    actionLabel: 'See your requests',
  };
}
