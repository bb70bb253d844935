// "/" sends each person to their home: agents to the inbox, everyone else to the campaigns (app/Layout.tsx).
const AFTER_SIGN_IN = "/";
/** Stands for this app's origin: what `next` resolves to must stay on it. */
const THIS_APP = "https://switchboard.invalid";

/** Only paths inside this app: a crafted ?next= must not send people elsewhere. */
export function safeNext(next: string | null): string {
  // Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" and "/\t/evil.example" are
  // "//evil.example"; encoded slashes are refused too, lest something on the way decode them.
  if (!next?.startsWith("/") || /[\\\p{Cc}]|%2f|%5c/iu.test(next)) return AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(next, THIS_APP);
  } catch {
    return AFTER_SIGN_IN;
  }
  // Dot segments can still leave a path that starts with "//" ("/.//evil.example").
  if (url.origin !== THIS_APP || url.pathname.startsWith("//")) return AFTER_SIGN_IN;
  return url.pathname + url.search + url.hash;
}
