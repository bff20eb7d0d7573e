import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { ApiError, messageOf } from './client';

function sentence(message: string): string {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

/** Where a form puts the API's problems: fields by problem code, and request paths the form names otherwise. */
export interface ProblemFields {
  /** Problem codes whose detail belongs next to one field: { conflict: 'name' }. */
  codes?: Record<string, string>;
  /** The form field of a request path when they differ ('variables.PORT' → 'rows.2.name'). */
  fieldOf?: (path: string) => string | undefined;
}

/**
 * Puts an API error on a form: each `errors[].path` the form has goes next to its field, problem codes listed in
 * `codes` go to the named field, and whatever is left is returned for an alert above the form.
 */
export function showProblem<V extends object>(form: UseFormReturnType<V>, error: unknown, { codes = {}, fieldOf }: ProblemFields = {}): string | null {
  if (!(error instanceof ApiError)) return messageOf(error);
  const values = form.getValues() as Record<string, unknown>;
  const hasField = (path: string) => path !== '' && path.split('.')[0] !== undefined && (path.split('.')[0] as string) in values;
  const field = codes[error.code];
  if (field) {
    form.setFieldError(field, error.problem.detail);
    return null;
  }
  const left: string[] = [];
  for (const item of error.problem.errors ?? []) {
    const path = fieldOf?.(item.path) ?? item.path;
    if (hasField(path)) form.setFieldError(path, sentence(item.message));
    else left.push(item.path ? `${item.path}: ${item.message}` : sentence(item.message));
  }
  if (error.problem.errors?.length) return left.length ? left.join('; ') : null;
  return messageOf(error);
}

/**
 * The problem of a form's last submit. `watch(call)` clears it, then puts the call's failure next to the fields
 * (as showProblem does, with `fields`) or, for what no field owns, in `message` for the alert above the form.
 */
export function useFormProblem<V extends object>(form: UseFormReturnType<V>, fields?: ProblemFields) {
  const [message, setMessage] = useState<string | null>(null);
  const watch = (call: Promise<unknown>, only = fields): void => {
    setMessage(null);
    call.catch((error: unknown) => setMessage(showProblem(form, error, only)));
  };
  return { message, watch };
}
