// The first match names the client: Edge and Opera carry "Chrome" too, Chrome carries "Safari".
const CLIENTS: ReadonlyArray<[RegExp, string]> = [
  [/\bshareplane\/|shareplane-cli/i, 'Shareplane CLI'],
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bHeadlessChrome\//, 'Headless Chrome'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bVersion\/[\d.]+.*Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^node|undici|node-fetch/i, 'Node.js'],
];
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/** A short name for the device behind a user agent ("Firefox on Linux"), or "Unknown device". */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const client = CLIENTS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (client && system) return `${client} on ${system}`;
  return client ?? system ?? 'Unknown device';
}
