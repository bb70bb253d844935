// The two payloads exactly as setting-webhook.txt prints them (its first, multi-line rendering of each).
export const responseExample = `{
"campaignId": "13010",
"label": "Welcome Message",
"phoneNumber": "+525500000000",
"date": "2024-06-18T23:22:36.560Z",
"response": "John Doe"
}`;

export const optionExample = `{
"campaignId": "13010",
"label": "Welcome Message",
"option": "One month",
"keyword": 1,
"phoneNumber": "+525500000000",
"date": "2024-06-18T23:26:14.206Z"
}`;

// The document's second, one-line rendering of the same payloads.
export const responseExampleInline = `{ "campaignId": "13010", "label": "Welcome Message", "phoneNumber": "+525500000000", "date": "2024-06-18T23:22:36.560Z", "response": "John Doe" }`;
export const optionExampleInline = `{ "campaignId": "13010", "label": "Welcome Message", "option": "One month", "keyword": 1, "phoneNumber": "+525500000000", "date": "2024-06-18T23:26:14.206Z" }`;

/** Removes the white space between JSON tokens (never inside strings): the document's layout, our wire bytes. */
export function stripJsonWhitespace(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i] ?? "";
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}
