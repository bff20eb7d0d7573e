import type { NoticeText as Notice } from '../../notifications/deliver.js';

/** To a member: the owner put it in a team; what the team holds counts for it from its next request. */
export function joinedTeamNotice(ownerName: string, teamName: string): Notice {
  return {
    type: 'team.joined',
    title: `${ownerName} added you to the team ${teamName}`,
    subject: `You are now in the team ${teamName} on ${ownerName}'s Shareplane account`,
    body: `${ownerName} added you to the team ${teamName}: what is shared with the team is shared with you too, for as long as you are in it.`,
    link: '/environments',
    actionLabel: 'Open your environments',
  };
}

/** To a member: it is no longer in a team (taken out, or the team was deleted); the team's shares no longer count for it. */
export function leftTeamNotice(ownerName: string, teamName: string, deleted: boolean): Notice {
  return {
    type: 'team.left',
    title: deleted ? `${ownerName} deleted the team ${teamName}` : `${ownerName} took you out of the team ${teamName}`,
    subject: `You are no longer in the team ${teamName} on ${ownerName}'s Shareplane account`,
    body: `${deleted ? `${ownerName} deleted the team ${teamName}` : `${ownerName} took you out of the team ${teamName}`}: what was shared with the team is no longer shared with you through it.`,
    link: '/shared-with-me',
    actionLabel: 'See what is shared with you',
  };
}
