/**
 * RFC 4180 text: every field quoted when it holds a quote, comma or line break. A field starting with = + - @ (or a
 * tab or carriage return), other than a phone number, gets a leading apostrophe, so a spreadsheet never runs an end user's answer as a formula.
 */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | boolean)[])[]): string {
  const field = (value: string | number | boolean) => {
    let text = String(value);
    // E.164 phone numbers (+525500000000) are no formula.
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^\+\d+$/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(field).join(",")).join("\r\n")}\r\n`;
}
