// The domain runs in Node and in browsers and type-checks against neither's library, so it reaches the one web
// platform global it needs, the WHATWG URL parser, through this small typed door.
interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
}

const WhatwgUrl = (globalThis as unknown as { URL: new (input: string) => ParsedUrl }).URL;

export function parseUrl(input: string): ParsedUrl | null {
  try {
    return new WhatwgUrl(input);
  } catch {
    return null;
  }
}

/** The number of bytes a string takes in UTF-8. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
