import type { NoticeText } from '../../notifications/deliver.js';
import { readableMoney } from '../money.js';

export interface Threshold {
  percent: 80 | 100;
  spent: string;
  budget: string;
  hardStop: boolean;
  month: string;
}

const memberPage = (collaborationId: string) => `/settings/collaboration/members/${collaborationId}`;

function consequence(step: Threshold, subject: 'it' | 'you'): string[] {
  if (step.percent === 80) return [];
  const blocked =
    subject === 'it'
      ? 'It can no longer create, start or scale up the environments it created in your account until you raise the budget or the month ends.'
      : 'You can no longer create, start or scale up the environments you created in this account until the owner raises the budget or the month ends.';
  const stopped = subject === 'it' ? 'Its running environments there are being stopped (hard stop).' : 'Your running environments there are being stopped (hard stop).';
  return step.hardStop ? [blocked, stopped] : [blocked];
}

/** To the owner: a member's environments reached 80 % or 100 % of its monthly budget. */
export function ownerBudgetNotice(memberLabel: string, collaborationId: string, step: Threshold): NoticeText {
  return {
    type: step.percent === 80 ? 'budget.warning' : 'budget.reached',
    title: `${memberLabel} reached ${step.percent} % of its monthly budget`,
    body: `The environments ${memberLabel} created in your account cost ${readableMoney(step.spent)} in ${step.month}, of a monthly budget of ${readableMoney(step.budget)}.`,
    details: consequence(step, 'it'),
    link: memberPage(collaborationId),
    actionLabel: 'See the budget',
  };
}

/** To the member: its environments in an owner's account reached 80 % or 100 % of the budget the owner set. */
export function memberBudgetNotice(ownerName: string, step: Threshold): NoticeText {
  return {
    type: step.percent === 80 ? 'budget.warning' : 'budget.reached',
    title: `You reached ${step.percent} % of your budget in ${ownerName}'s account`,
    body: `The environments you created in ${ownerName}'s account cost ${readableMoney(step.spent)} in ${step.month}, of the monthly budget of ${readableMoney(step.budget)} the owner set for you.`,
    details: consequence(step, 'you'),
    link: '/environments',
    actionLabel: 'See your environments',
  };
}
