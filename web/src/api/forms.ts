import type { UseFormReturnType } from '@mantine/form';
import { ApiError, messageOf } from './client';

function sentence(message: string): string {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

/**
 * Puts an API error on a form: each `errors[].path` the form has goes next to its field, problem codes listed in
 * `codeFields` go to the named field, and whatever is left is returned for an alert above the form.
 */
export function showProblem<V extends object>(
  form: UseFormReturnType<V>,
  error: unknown,
  codeFields: Record<string, string> = {},
): string | null {
  if (!(error instanceof ApiError)) return messageOf(error);
  const values = form.getValues() as Record<string, unknown>;
  const hasField = (path: string) => path !== '' && path.split('.')[0] !== undefined && (path.split('.')[0] as string) in values;
  const field = codeFields[error.code];
  if (field) {
    form.setFieldError(field, error.problem.detail);
    return null;
  }
  const left: string[] = [];
  for (const item of error.problem.errors ?? []) {
    if (hasField(item.path)) form.setFieldError(item.path, sentence(item.message));
    else left.push(item.path ? `${item.path}: ${item.message}` : sentence(item.message));
  }
  if (error.problem.errors?.length) return left.length ? left.join('; ') : null;
  return messageOf(error);
}
