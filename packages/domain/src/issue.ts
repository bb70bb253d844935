/** One broken rule: where it is (a path into the object that was checked), a stable code and a sentence for people. */
export interface RuleIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

export function issue(path: (string | number)[], code: string, message: string): RuleIssue {
  return { path, code, message };
}

/** Prefixes every issue's path, so a rule written for a part can report against the whole. */
export function under(prefix: (string | number)[], issues: RuleIssue[]): RuleIssue[] {
  return issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
}
