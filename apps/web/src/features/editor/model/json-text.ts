export type JsonText = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/**
 * Parses the Body textbox and, when it is not JSON, says where: V8 reports a character position, people read lines.
 */
export function parseJsonText(text: string): JsonText {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? text.length : Number(position);
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    return { ok: false, line, column, message: `Line ${line}, column ${column}: ${reason}.` };
  }
}
