/** Putting a server's field-level validation errors onto the form fields they name. */
import type { FormInstance } from "antd";
import { ApiError } from "../api/client.js";
import { localizeMessage } from "../i18n/index.js";

export type NamePath = (string | number)[];

/**
 * Put an API error's field issues on the fields `fieldOf` finds for them;
 * returns the error when some of it belongs to no field (to show as an alert).
 */
export function applyServerErrors<T>(
  form: FormInstance<T>,
  err: unknown,
  fieldOf: (path: string) => NamePath | null,
): unknown {
  if (!(err instanceof ApiError)) return err;
  const issues = err.fieldIssues;
  const placed = issues.flatMap((i) => {
    const name = fieldOf(i.path);
    return name ? [{ name, errors: [localizeMessage(i.message)] }] : [];
  });
  // biome-ignore lint/suspicious/noExplicitAny: antd's setFields is typed by the form's own paths
  if (placed.length > 0) form.setFields(placed as any);
  return placed.length === 0 || placed.length < issues.length ? err : null;
}
