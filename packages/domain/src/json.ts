import { issue, type RuleIssue } from "./issue";
import { textFlaw, textFlawMessage } from "./text";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface JsonLimits {
  /** Levels of objects and arrays inside one another; the outermost value is level 1. */
  maxDepth: number;
  /** How the value is called in messages, e.g. "Body". */
  name: string;
  /** Stop after this many issues: a value made of a million flaws is refused on the first few. */
  maxIssues?: number;
}

type Pending = { value: unknown; path: (string | number)[]; depth: number };

/**
 * What a parsed JSON value holds that cannot be stored (a NUL or an unpaired surrogate, in a key or a string) or
 * nests deeper than allowed. Walks with a stack of its own and never below the limit, so no depth overflows it; a
 * key's flaw is reported at the object that holds it.
 */
export function jsonFlaws(value: unknown, limits: JsonLimits): RuleIssue[] {
  const maxIssues = limits.maxIssues ?? 10;
  const issues: RuleIssue[] = [];
  const stack: Pending[] = [{ value, path: [], depth: 1 }];
  while (stack.length > 0 && issues.length < maxIssues) {
    const { value: current, path, depth } = stack.pop() as Pending;
    if (typeof current === "string") {
      const flaw = textFlaw(current);
      if (flaw) issues.push(issue(path, flaw, textFlawMessage(flaw)));
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth > limits.maxDepth) {
      issues.push(
        issue(
          path,
          "too_deep",
          `${limits.name} may nest objects and arrays at most ${limits.maxDepth} levels deep (the ${limits.name} itself is level 1).`,
        ),
      );
      continue;
    }
    const children: Pending[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        children.push({ value: item, path: [...path, index], depth: depth + 1 });
      });
    } else {
      let keyFlawed = false;
      for (const [key, item] of Object.entries(current)) {
        const flaw = textFlaw(key);
        if (flaw) {
          // One issue per object; its flawed keys are not walked into, so no path carries the flaw itself.
          if (!keyFlawed) issues.push(issue(path, flaw, textFlawMessage(flaw, "Keys")));
          keyFlawed = true;
          continue;
        }
        children.push({ value: item, path: [...path, key], depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so issues come in the order of the text.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Pending);
  }
  return issues;
}
