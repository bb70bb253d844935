/**
 * Hides the secrets an attempt sent (secret header values, signing secrets) in what the receiver answered and in what
 * we say about the attempt: a receiver that echoes its request (httpbin-style) would otherwise put them in the
 * Deliveries view, which viewers, marketers and read tokens see. Pure: no I/O, no clock.
 */

/** What a hidden secret reads as. */
export const REDACTED = "[redacted]";

/** Parts derived from a value (a token after its scheme, a Basic password) shorter than this are not hidden alone. */
const MIN_DERIVED = 6;
/** A base64 run taken from the middle of a longer encoding is used only from this length: shorter ones match by chance. */
const MIN_BASE64_CORE = 8;
/** A secret's beginning left at the end of a cut-short text is hidden from this length on. */
const MIN_PARTIAL = 4;

/** Hides the secrets in `text`; `cut` says the text stops where the receiver's answer was cut short. */
export type Redact = (text: string, cut?: boolean) => string;

/**
 * A function that hides every value in `values` from a text, as it came and in the spellings a receiver may echo it
 * in: JSON-escaped, URL- and form-encoded, HTML-escaped, base64 (standard or URL-safe, padded or not, also inside a
 * longer encoding such as an echoed raw request), in any letter case. Null when there is nothing to hide, so callers
 * skip the work.
 */
export function secretRedactor(values: readonly string[]): Redact | null {
  // An endpoint sends the same secrets attempt after attempt, and building costs far more than using: the last few
  // hundred are kept. (Clear values were in this process's memory anyway, as is the key that opens them all.)
  const key = JSON.stringify(values);
  let redact = built.get(key);
  if (redact === undefined) {
    redact = build(values);
    if (built.size >= KEPT) built.delete(built.keys().next().value as string);
    built.set(key, redact);
  }
  return redact;
}

const KEPT = 256;
const built = new Map<string, Redact | null>();

function build(values: readonly string[]): Redact | null {
  const forms = new Set<string>();
  for (const value of values)
    for (const secret of withDerived(value)) for (const form of spellings(secret)) forms.add(form);
  forms.delete("");
  if (forms.size === 0) return null;
  // Longest first: where several spellings start at one place, the whole of the longest is hidden.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "gi");
  const lowered = sorted.map((f) => f.toLowerCase());
  return (text, cut = false) => {
    if (text === "") return text;
    const shown = text.replace(pattern, REDACTED);
    return cut ? hidePartialTail(shown, lowered) : shown;
  };
}

/** The value and the parts of it that are secrets on their own. */
function withDerived(value: string): string[] {
  const out = [value];
  const trimmed = value.trim();
  // `Bearer <token>`, `Basic <credentials>`, `Token <key>`: a receiver may echo the credential without its scheme.
  const scheme = /^([A-Za-z][\w.-]*)\s+(\S+)$/.exec(trimmed);
  const credential = scheme?.[2];
  if (credential && credential.length >= MIN_DERIVED) {
    out.push(credential);
    if (scheme[1]?.toLowerCase() === "basic") {
      const decoded = Buffer.from(credential, "base64").toString("latin1");
      const colon = decoded.indexOf(":");
      if (colon > 0 && /^[\x20-\x7e]+$/.test(decoded)) {
        out.push(decoded);
        const password = decoded.slice(colon + 1);
        if (password.length >= MIN_DERIVED) out.push(password);
      }
    }
  }
  // A signing secret's key, as base64 after its prefix.
  if (trimmed.startsWith("whsec_") && trimmed.length - 6 >= MIN_DERIVED) out.push(trimmed.slice(6));
  return out;
}

/** The spellings a receiver may echo one value in. */
function spellings(value: string): string[] {
  // Upper case apart, for letters the pattern's ignoring of case does not cover ("ß" becomes "SS").
  const out = [value, value.toUpperCase()];
  const json = JSON.stringify(value).slice(1, -1);
  // As JavaScript, Python (ASCII only), PHP (ASCII only, slashes escaped) and Go (HTML-safe) write it in JSON.
  const ascii = json.replace(/[^\x20-\x7e]|[<>&]/g, unicodeEscape);
  out.push(json, ascii, json.replaceAll("/", "\\/"), ascii.replaceAll("/", "\\/"));
  const uri = encodeURIComponent(value);
  out.push(
    uri,
    uri.replaceAll("%2F", "/"),
    uri.replaceAll("%20", "+"),
    new URLSearchParams({ v: value }).toString().slice(2),
  );
  out.push(value.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c));
  // Header values go out as Latin-1 bytes; a receiver may have read them as UTF-8.
  const latin1 = Buffer.from(value, "latin1");
  const utf8 = Buffer.from(value, "utf8");
  for (const bytes of latin1.equals(utf8) ? [utf8] : [latin1, utf8]) {
    out.push(...base64Spellings(bytes.toString("base64")));
    // Inside a longer encoding the value's bytes may start at any offset modulo 3: the groups made of its bytes alone.
    for (const offset of [1, 2]) {
      const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
      const core = shifted.toString("base64").slice(4, Math.floor(shifted.length / 3) * 4);
      if (core.length >= MIN_BASE64_CORE) out.push(...base64Spellings(core));
    }
  }
  return out;
}

/** A base64 text padded and not, in the standard and the URL-safe alphabets; its whole groups too, for the offset 0. */
function base64Spellings(base64: string): string[] {
  const bare = base64.replace(/=+$/, "");
  const whole = bare.slice(0, Math.floor(bare.length / 4) * 4);
  const forms = [base64, bare, ...(whole.length >= MIN_BASE64_CORE ? [whole] : [])];
  return [...forms, ...forms.map((f) => f.replaceAll("+", "-").replaceAll("/", "_"))];
}

/** A text cut short may end with the first characters of a secret: those are hidden too. */
function hidePartialTail(text: string, loweredForms: string[]): string {
  const longest = loweredForms[0]?.length ?? 0;
  if (longest - 1 < MIN_PARTIAL) return text;
  const tail = text.slice(-(longest - 1)).toLowerCase();
  // From the longest ending that could be a secret's beginning down to the shortest worth hiding.
  for (let from = 0; tail.length - from >= MIN_PARTIAL; from++) {
    const ending = tail.slice(from);
    if (loweredForms.some((form) => form.length > ending.length && form.startsWith(ending)))
      return text.slice(0, text.length - ending.length) + REDACTED;
  }
  return text;
}

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
