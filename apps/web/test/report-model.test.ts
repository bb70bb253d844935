import type { Report } from "@switchboard/contracts/reports";
import { describe, expect, it } from "vitest";
import { funnelRows, reportCsv, toCsv, webhookRows } from "../src/features/reports/model/report-csv";
import { customRangeError, granularityOf, presetRange } from "../src/features/reports/model/report-range";

const report: Report = {
  campaignId: 13010,
  timeZone: "America/Mexico_City",
  today: "2024-06-18",
  from: "2024-06-12",
  to: "2024-06-18",
  granularity: "day",
  flowVersion: 2,
  totals: {
    participants: 3,
    started: 4,
    finished: 3,
    expired: 0,
    handedOff: 0,
    participated: 3,
    participationRate: 0.75,
    messagesIn: 9,
    messagesOut: 9,
  },
  series: [{ period: "2024-06-18", messagesIn: 9, messagesOut: 9, started: 4 }],
  funnel: [{ nodeId: "w", label: "Welcome Message", reached: 4, share: 1, wentOn: 3, dropOff: 1, dropOffRate: 0.25 }],
  answers: [
    {
      nodeId: "w",
      label: "Welcome Message",
      total: 3,
      entries: [{ entryId: "e1", label: 'One "month", paid', kind: "option", count: 1, percent: 1 / 3 }],
    },
  ],
  webhooks: [
    {
      entryId: "e1",
      nodeId: "w",
      label: "One month",
      nodeLabel: "Welcome Message",
      deliveries: 1,
      attempts: 2,
      delivered: 1,
      failed: 0,
      successRate: 1,
      p50Ms: 40.4,
      p95Ms: null,
      p99Ms: null,
    },
  ],
  handoffs: [
    { campaignId: 13011, name: "Summer raffle", type: "raffle_giveaway", entries: 12, winners: 3, completed: null },
  ],
  liveChat: { conversations: 3, answered: 2, firstReplySeconds: 95, closeSeconds: null },
};

describe("the report's CSV", () => {
  it("quotes fields with commas and quotes, and defuses formulas", () => {
    expect(toCsv([["a,b", 'say "hi"', "=SUM(A1)", 3, null]])).toBe('"a,b","say ""hi""",\'=SUM(A1),3,\r\n');
  });

  it("writes each chart's rows with percentages and rounded latencies", () => {
    expect(funnelRows(report)[1]).toEqual(["Welcome Message", 4, 100, 3, 1, 25]);
    expect(webhookRows(report)[1]).toEqual(["Welcome Message", "One month", 1, 2, 1, 0, 100, 40, null, null]);
  });

  it("puts every section of the whole report under its title", () => {
    const csv = reportCsv(report);
    expect(csv).toContain("Report of campaign 13010: 2024-06-12 to 2024-06-18 (America/Mexico_City)\r\n");
    expect(csv).toContain("Participation rate (%),75\r\n");
    expect(csv).toContain(
      'Answers: Welcome Message\r\nOption,Kind,Answers,Share (%)\r\n"One ""month"", paid",Option,1,33.3\r\n',
    );
    expect(csv).toContain("Webhook health\r\n");
    expect(csv).toContain(
      "Hand-offs\r\nCampaign,Type,Entries,Winners,Completed\r\nSummer raffle,Raffle Giveaway,12,3,\r\n",
    );
    expect(csv).toContain("Live Chat\r\nFigure,Value\r\nHanded to agents,3\r\nAnswered by an agent,2\r\n");
    expect(csv).toContain("Median seconds to first reply,95\r\nMedian seconds to close,\r\n");
  });
});

describe("the report's date range", () => {
  it("ends presets on the installation's today", () => {
    expect(presetRange("today", "2024-03-01")).toEqual({ from: "2024-03-01", to: "2024-03-01" });
    expect(presetRange("7", "2024-03-01")).toEqual({ from: "2024-02-24", to: "2024-03-01" });
    expect(presetRange("30", "2024-03-01")).toEqual({ from: "2024-02-01", to: "2024-03-01" });
  });

  it("refuses a custom range that ends before it starts, and shows one day hour by hour", () => {
    expect(customRangeError({ from: "2024-03-02", to: "2024-03-01" })).toMatch(/on or after/);
    expect(customRangeError({ from: "", to: "2024-03-01" })).toMatch(/both/);
    expect(customRangeError({ from: "2024-03-01", to: "2024-03-01" })).toBeNull();
    expect(granularityOf({ from: "2024-03-01", to: "2024-03-01" })).toBe("hour");
    expect(granularityOf({ from: "2024-03-01", to: "2024-03-02" })).toBe("day");
  });
});
