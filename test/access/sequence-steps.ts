/**
 * One step of the sequence test: an operation (sequence-ops.ts) resolved against the state of the moment, the
 * outcome the model expects (sequence-rules.ts), the request through the real HTTP app, and — when it is accepted —
 * the same change made to the model.
 */
import { HOUR } from '../../src/clock.js';
import { settleRuntime } from '../factories/environments.js';
import type { Op } from './sequence-ops.js';
import { accepted, type Outcome, refused } from './sequence-rules.js';
import { planArrangement } from './sequence-arrange.js';
import { type Planned, type Sequence, type StepRecord } from './sequence-picks.js';

export type { Sequence, StepRecord } from './sequence-picks.js';
export { modelMember } from './sequence-picks.js';

/** Plans an operation against the state of the moment; falls back to a related one when its target does not exist. */
export function plan(seq: Sequence, op: Op): Planned | { wait: Op & { kind: 'wait' } } {
  const planned = planArrangement(seq, op);
  return 'wait' in planned ? planned : { kind: op.kind, ...planned };
}

/** Thrown when the server's answer is not the model's: the message carries both. */
export class Disagreement extends Error {}

/** Performs one operation: plans it, sends it, compares the answer with the model's, and applies it when accepted. */
export async function perform(seq: Sequence, op: Op): Promise<StepRecord> {
  seq.aiming = op.aim ?? false;
  seq.viaToken = op.token ?? false;
  const planned = plan(seq, op);
  if ('wait' in planned) {
    const { hours, toNextExpiry } = planned.wait;
    const now = seq.model.now.getTime();
    const ahead = [...seq.model.members, ...seq.model.teams].flatMap((m) => m.shares.flatMap((s) => (s.expiresAt && s.expiresAt.getTime() > now ? [s.expiresAt.getTime()] : [])));
    const to = toNextExpiry && ahead.length > 0 ? Math.min(...ahead) : now + hours * HOUR;
    seq.stage.clock.set(new Date(to));
    seq.model.now = new Date(to);
    return { kind: 'wait', text: `time: to ${new Date(to).toISOString()}`, by: 'time', outcome: accepted(200), acceptedStep: true };
  }
  const answer = await planned.send();
  const got: Outcome = answer.status < 300 ? accepted(answer.status) : refused(answer.status, String(answer.body?.code));
  const by = planned.text.split(':')[0] ?? '?';
  if (got.status !== planned.expected.status || got.code !== planned.expected.code) {
    throw new Disagreement(`${planned.text}\n    expected ${JSON.stringify(planned.expected)}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`);
  }
  const ok = answer.status < 300;
  if (ok) planned.apply?.(answer);
  if (planned.settle) {
    const settling = performance.now();
    await settleRuntime(seq.stage.t);
    seq.settled = (seq.settled ?? 0) + performance.now() - settling;
  }
  return {
    kind: planned.kind ?? op.kind,
    text: planned.text,
    by,
    outcome: got,
    acceptedStep: ok,
    ...(ok && planned.grant ? { grant: planned.grant } : {}),
    ...(ok && planned.clone ? { clone: planned.clone(answer) } : {}),
  };
}

