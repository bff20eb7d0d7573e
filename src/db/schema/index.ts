// The whole database schema. drizzle-kit reads this folder; every query imports from here.
export * from './accounts.js';
export * from './platform.js';
export * from './environments.js';
export * from './collaboration.js';
export * from './billing.js';
export * from './webhooks.js';
export * from './factors.js';
export * from './transfers.js';
export * from './budgets.js';
export * from './requests.js';
export * from './passkeys.js';
