import { describe, expect, it } from 'vitest';
import { createOwner } from '../factories.js';
import { cliWorld, type Terminal } from './support.js';

const world = cliWorld();
const LONG = { timeout: 90_000 };

async function ownerWithEnvironment(name: string): Promise<{ terminal: Terminal; owner: Awaited<ReturnType<typeof createOwner>>; id: string }> {
  const owner = await createOwner(world.server);
  const terminal = await world.terminal();
  expect((await terminal.run(['login', '--email', owner.email, '--password-stdin'], { input: owner.password })).code).toBe(0);
  const created = await terminal.json(['envs', 'create', name, '--wait']);
  return { terminal, owner, id: created.id };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('shareplane --follow', () => {
  it('audit tail shows the newest events oldest first, then follows new ones as JSON lines until SIGINT (exit 0)', LONG, async () => {
    const { terminal, owner, id } = await ownerWithEnvironment('feed-web');
    const newest = jsonLines((await terminal.run(['audit', 'tail', '-n', '2', '--json'])).stdout);
    expect(newest).toHaveLength(2);
    expect(Number(newest[0].id)).toBeLessThan(Number(newest[1].id));
    const table = await terminal.run(['audit', 'tail', '--action', 'environment.*']);
    expect(table.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['AT', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME']);
    expect(table.stdout).toContain('environment.create');

    const following = terminal.start(['audit', 'tail', '--follow', '--json', '--interval', '0.2', '--action', 'environment.*']);
    await following.waitFor('"action":"environment.create"');
    // made elsewhere, through the API: the follower sees it on its next poll
    expect((await world.server.http.as(owner).post(`/api/v1/environments/${id}/stop`)).status).toBe(202);
    await following.waitFor('"action":"environment.stop"');
    following.child.kill('SIGINT');
    expect(await following.exited).toBe(0);
    const events = jsonLines(following.stdout());
    expect(events.map((event) => event.action)).toEqual(['environment.create', 'environment.stop']);
    expect(events[1]).toMatchObject({ actorId: owner.id, targetId: id, outcome: 'ok' });
    expect(following.stderr()).toBe('');
  });

  it('envs logs prints the newest lines, then follows a restart line by line until SIGTERM (exit 0)', LONG, async () => {
    const { terminal } = await ownerWithEnvironment('logs-web');
    const lines = await terminal.run(['envs', 'logs', 'logs-web', '-n', '3']);
    expect(lines.code).toBe(0);
    expect(lines.stdout.trim().split('\n')).toHaveLength(3);

    const following = terminal.start(['envs', 'logs', 'logs-web', '--follow', '--json', '--interval', '0.2']);
    await following.waitFor('"source":"platform"');
    const restart = await terminal.run(['envs', 'restart', 'logs-web', '--wait']);
    expect(restart.code, restart.stderr).toBe(0);
    await following.waitFor('Restarting environment logs-web');
    following.child.kill('SIGTERM');
    expect(await following.exited).toBe(0);
    const followed = jsonLines(following.stdout());
    const ids = followed.map((line) => Number(line.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(followed.map((line) => line.line)).toContain('Restarting environment logs-web, one node at a time');
  });
});
