import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {}

/** Who holds a lock: the pid, and what tells that pid's process apart from a later one that reuses the number. */
interface Holder {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux /proc), when known. */
  startTime?: string | undefined;
  /** The kernel's id of the current boot: after a reboot every pid is someone else. */
  bootId?: string | undefined;
  host?: string;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The start time of process `pid` (field 22 of /proc/<pid>/stat), or undefined where /proc does not tell. */
function startTimeOf(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => readProc('/proc/sys/kernel/random/boot_id');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as Holder;
    if (Number.isInteger(parsed.pid)) return parsed;
  } catch {
    // A lock of an older version held only the pid.
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) ? { pid } : undefined;
}

/** Whether the process recorded in a lock still runs: the same pid, the same boot, the same start time. */
function holderAlive(holder: Holder): boolean {
  if (holder.pid === process.pid || !processAlive(holder.pid)) return false;
  if (holder.bootId && bootId() && holder.bootId !== bootId()) return false;
  const now = startTimeOf(holder.pid);
  if (holder.startTime && now && holder.startTime !== now) return false;
  return true;
}

/** Removes a lock judged stale, unless someone replaced it meanwhile (then that one stands, and this start fails). */
function removeStale(path: string, judged: string): boolean {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // already gone: try to create it again
  }
  if (readProc(aside) === judged) {
    rmSync(aside, { force: true });
    return true;
  }
  // Another process took the stale lock over between our read and our rename: give its lock back.
  try {
    linkSync(aside, path);
  } finally {
    rmSync(aside, { force: true });
  }
  return false;
}

/**
 * Takes the exclusive lock of a PGlite data folder: a file, created atomically, naming this process by pid, start
 * time and boot. A second live process on the same folder fails with a clear message; a lock left by a dead process,
 * or whose pid now belongs to an unrelated process (pid reuse after a crash or a reboot), is taken over.
 * Returns the function that releases it.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, 'shareplane.lock');
  const me: Holder = { pid: process.pid, startTime: startTimeOf(process.pid), bootId: bootId(), host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const text = readProc(path) ?? '';
      const holder = parseHolder(text);
      if (holder && holderAlive(holder)) {
        throw new DataDirLockedError(
          `the data directory ${dir} is in use by another Shareplane process (pid ${holder.pid}); ` +
            'stop it, or give this one its own DATA_DIR. Several nodes share one database only through DATABASE_URL (PostgreSQL).',
        );
      }
      if (!removeStale(path, text)) break;
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dir}: another process took it at the same moment`);
}
