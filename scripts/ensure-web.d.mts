/** Why the dashboard needs a build, or null when web/dist is up to date. */
export function staleReason(): string | null;
/** Builds web/dist if it is missing or stale; resolves to whether it built. Throws when the build fails. */
export function ensureWeb(options?: { quiet?: boolean }): Promise<boolean>;
