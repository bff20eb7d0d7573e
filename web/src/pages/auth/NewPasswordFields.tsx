import { PasswordInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';

export const MIN_PASSWORD = 10;

/** Client-side checks of a new password; the API checks again and its messages win. */
export function newPasswordError(value: string): string | null {
  if (value.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters`;
  if (value.trim().length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters that are not spaces`;
  if (value.length > 200) return 'Use at most 200 characters';
  return null;
}

/** The rule of a "repeat the password" field: it must equal the form's `field`. */
export function sameAs(field: string) {
  return (value: string, values: object): string | null => (value === (values as Record<string, unknown>)[field] ? null : 'The two passwords differ');
}

interface NewPasswordFieldsProps<V extends object> {
  form: UseFormReturnType<V>;
  /** The form field of the new password. */
  field: string;
  label?: string;
  /** The form field of its repetition, when the form asks for it twice. */
  repeat?: string;
}

/** A new password with its rule shown, and (`repeat`) a second field that must match it. */
export function NewPasswordFields<V extends object>({ form, field, label = 'Password', repeat }: NewPasswordFieldsProps<V>) {
  return (
    <>
      <PasswordInput
        label={label}
        description={`At least ${MIN_PASSWORD} characters`}
        autoComplete="new-password"
        required
        key={form.key(field)}
        {...form.getInputProps(field)}
      />
      {repeat ? (
        <PasswordInput label={`Repeat the ${label.toLowerCase()}`} autoComplete="new-password" required key={form.key(repeat)} {...form.getInputProps(repeat)} />
      ) : null}
    </>
  );
}
