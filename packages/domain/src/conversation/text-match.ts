/** Folds case, accents and surrounding space: "  Ó ne MONTH " and "one month" compare equal after this. */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLocaleLowerCase("en")
    .replace(/\s+/g, " ")
    .trim();
}

/** Replaces {{name}} with the contact's saved attribute, or nothing when it has none. */
export function fillAttributes(text: string, attributes: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => attributes[name] ?? "");
}
