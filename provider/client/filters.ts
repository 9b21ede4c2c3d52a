/**
 * `property` filters of Flow Service list calls. Adobe documents `field==value` with the value
 * optionally in double quotes (`property=name=="CRMToAEP"`) and a comma between values meaning OR,
 * but no escape sequence. So a value is always quoted (commas, `==` and spaces inside stay literal),
 * and a value holding a double quote cannot be expressed at all: the caller lists without that filter
 * and compares itself. Callers compare every result exactly anyway: a filter only narrows.
 */
export function propertyEquals(field: string, value: string): string | undefined {
  if (value.includes('"')) return undefined;
  return `${field}=="${value}"`;
}
