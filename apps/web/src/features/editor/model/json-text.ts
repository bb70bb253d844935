export type JsonText = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/**
 * Parses the Body textbox and, when it is not JSON, says where. Engines word (and place) their errors differently, so
 * the place comes from our own scan of the text rather than from the engine's message.
 */
export function parseJsonText(text: string): JsonText {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const found = locateJsonError(text) ?? { offset: text.length, reason: "the text is not complete" };
    const before = text.slice(0, found.offset);
    const line = before.split("\n").length;
    const column = found.offset - before.lastIndexOf("\n");
    return { ok: false, line, column, message: `Line ${line}, column ${column}: ${found.reason}.` };
  }
}

/** The first place where `text` stops being JSON (RFC 8259), and why, in words for people. */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  let i = 0;
  const fail = (reason: string): never => {
    throw { offset: i, reason };
  };
  const describe = () => (i >= text.length ? "the text ends too early" : `unexpected ${JSON.stringify(text[i])}`);
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(describe());
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) fail("line breaks and control characters must be escaped inside a string");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("\\u needs four hexadecimal digits");
          i += 5;
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i] as string)) i++;
        else fail("unknown escape in a string");
      } else i++;
    }
    if (i >= text.length) fail("a string is not closed");
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === "-") fail(describe());
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === "{") object();
    else if (ch === "[") array();
    else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) number();
    else fail(ch === "'" ? "strings use double quotes" : describe());
  };
  const object = () => {
    i++;
    space();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] !== '"')
        fail(text[i] === "}" ? "a comma before } is not allowed" : "a property name in double quotes was expected");
      string();
      space();
      if (text[i] !== ":") fail('":" was expected after the property name');
      i++;
      value();
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail('"," or "}" was expected');
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      value();
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail('"," or "]" was expected');
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail("nothing may follow the JSON value");
    return null;
  } catch (error) {
    return error as { offset: number; reason: string };
  }
}
