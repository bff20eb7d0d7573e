#!/usr/bin/env node
// Runs the compiled server (dist/, made by `npm start`'s preparation or `npm run build`) when it is up to date with
// src/; otherwise the TypeScript sources through tsx, so a checkout runs as it is while it is being changed.
import { buildReason } from '../scripts/ensure-build.mjs';

if (buildReason() === null) {
  await import('../dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
