/** Tiny benchmark helpers: run a function for a while, report ops/s and µs per op. */

export interface Result {
  name: string;
  ops: number;
  seconds: number;
}

/** Runs `fn` repeatedly for about `seconds` (after a short warm-up) and prints ops/s and µs per op. */
export function measure(name: string, fn: () => unknown, seconds = 1): Result {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) sink(fn());
  let ops = 0;
  const start = performance.now();
  const stop = start + seconds * 1000;
  // Check the clock every few calls only, so reading it does not dominate sub-microsecond work.
  while (performance.now() < stop) {
    for (let i = 0; i < 16; i += 1) sink(fn());
    ops += 16;
  }
  const result = { name, ops, seconds: (performance.now() - start) / 1000 };
  report(result);
  return result;
}

/** Prints one line: name, ops/s, µs per op. */
export function report({ name, ops, seconds }: Result): void {
  const perSecond = ops / seconds;
  const micros = (seconds * 1e6) / ops;
  console.log(`  ${name.padEnd(58)} ${format(perSecond).padStart(12)} ops/s ${micros.toFixed(2).padStart(12)} µs/op`);
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');

let blackhole: unknown;
// Keeps results alive so the engine cannot drop the work that produced them.
function sink(value: unknown): void {
  blackhole = value;
}

/** The last result kept by `measure` (exported so the store into it cannot be optimized away). */
export const lastResult = (): unknown => blackhole;
