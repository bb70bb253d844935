import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ChartFigure } from "../src/features/reports/components/ChartFigure";

const rows = [
  ["Day", "Messages in", "Messages out"],
  ["2024-06-18", 9, 8],
  ["2024-06-19", 0, null],
];

describe("a report chart's figure", () => {
  it("is named by its title, hides the drawing, and offers its data as a table", () => {
    render(
      <ChartFigure title="Messages per day" rows={rows} fileName="messages.csv">
        <svg data-testid="drawing" />
      </ChartFigure>,
    );
    const figure = screen.getByRole("figure", { name: "Messages per day" });
    expect(within(figure).getByTestId("drawing").parentElement?.getAttribute("aria-hidden")).toBe("true");
    const table = within(figure).getByRole("table", { name: "Messages per day", hidden: true });
    const [head, first, second] = within(table).getAllByRole("row", { hidden: true });
    expect(head?.textContent).toBe("DayMessages inMessages out");
    expect(within(first as HTMLElement).getByRole("rowheader", { hidden: true }).textContent).toBe("2024-06-18");
    expect(first?.textContent).toBe("2024-06-1898");
    // An empty figure reads as a dash, not as zero.
    expect(second?.textContent).toBe("2024-06-190—");
  });
});
