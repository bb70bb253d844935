import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** What fails a test: axe's serious and critical findings (minor and moderate ones are left to review). */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

/** Pages are checked against WCAG 2.1 A and AA. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface AxeFinding {
  url: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe's serious and critical findings on the page as it is now. */
export async function accessibilityFindings(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((v) => FAILING_IMPACTS.has(v.impact ?? ""))
    .map((v) => ({
      url: page.url(),
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}

/**
 * Checks every page a test visits: after each navigation of the main frame (a load, or the SPA's route change), once
 * the page has settled, and the page as the test leaves it. Findings are gathered and fail the test at its end, so a
 * check never interrupts what the test is doing.
 */
export class AccessibilityWatch {
  private readonly findings = new Map<string, AxeFinding>();
  private checking: Promise<void> = Promise.resolve();

  constructor(private readonly page: Page) {
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.check();
    });
  }

  private check(): void {
    this.checking = this.checking.then(async () => {
      try {
        await this.page.waitForLoadState("load");
        for (const f of await accessibilityFindings(this.page)) this.findings.set(`${f.url} ${f.rule} ${f.targets}`, f);
      } catch {
        // The page navigated again or closed mid-check: the next navigation, or the final check, covers it.
      }
    });
  }

  /** The last check, on the page as the test leaves it; then fails on whatever was found. */
  async finish(): Promise<void> {
    if (!this.page.isClosed() && this.page.url() !== "about:blank") this.check();
    await this.checking;
    expect([...this.findings.values()], "serious or critical accessibility violations (axe-core)").toEqual([]);
  }
}
