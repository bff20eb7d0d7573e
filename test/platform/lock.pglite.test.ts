import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/lock.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Another live process on this machine, unrelated to Shareplane. */
function otherProcess(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('could not start a process');
  return child.pid;
}

const startTime = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

function folderWithLock(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shareplane-lock-'));
  writeFileSync(join(dir, 'shareplane.lock'), content);
  return dir;
}

describe('the data folder lock', () => {
  it('records the holder by pid, start time and boot, and removes itself on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shareplane-lock-'));
    const release = lockDataDir(dir);
    const holder = JSON.parse(readFileSync(join(dir, 'shareplane.lock'), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, startTime: startTime(process.pid), bootId: bootId() });
    release();
    expect(existsSync(join(dir, 'shareplane.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that has died', async () => {
    const child = spawn('true');
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.on('exit', resolve));
    lockDataDir(folderWithLock(JSON.stringify({ pid, startTime: '1', bootId: bootId() })))();
  });

  it('takes over a lock whose pid now belongs to an unrelated live process (pid reuse)', () => {
    const pid = otherProcess();
    lockDataDir(folderWithLock(JSON.stringify({ pid, startTime: String(Number(startTime(pid)) - 1000), bootId: bootId() })))();
  });

  it('takes over a lock written before the last reboot', () => {
    const pid = otherProcess();
    lockDataDir(folderWithLock(JSON.stringify({ pid, startTime: startTime(pid), bootId: 'an-earlier-boot' })))();
  });

  it('refuses a folder whose holder is alive: the same pid, start time and boot', () => {
    const pid = otherProcess();
    const dir = folderWithLock(JSON.stringify({ pid, startTime: startTime(pid), bootId: bootId() }));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another Shareplane process \\(pid ${pid}\\)`));
  });

  it('refuses a folder locked by an older version (pid only) while that pid lives', () => {
    const pid = otherProcess();
    expect(() => lockDataDir(folderWithLock(String(pid)))).toThrow(DataDirLockedError);
  });
});
