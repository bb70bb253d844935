// The domain runs in Node and in browsers, so it may use only what both provide. These are the two WHATWG
// globals it needs, declared here rather than pulling in either the DOM's or Node's whole type library.
declare class URL {
  constructor(input: string, base?: string);
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
