import type { TestProject } from 'vitest/node';
import { createPostgresTemplate, dropPostgresDatabase } from './postgres-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

/** For the PostgreSQL project: migrate one template database that every test file copies. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.name !== 'postgres') return async () => undefined;
  const template = await createPostgresTemplate();
  project.provide('postgresTemplate', template);
  return () => dropPostgresDatabase(template);
}
