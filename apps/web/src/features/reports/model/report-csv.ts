import type { Report } from "@switchboard/contracts/reports";

type Cell = string | number | null;

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. A leading =, +, - or @ is defused,
 * so a spreadsheet never runs an end user's answer as a formula. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const field = (v: Cell) => {
    let text = v === null ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${rows.map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;
}

const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const round = (v: number | null) => (v === null ? null : Math.round(v));

/** Each chart's data as rows, the heading row first: what its table shows and its CSV holds. */
export const seriesRows = (r: Report): Cell[][] => [
  [r.granularity === "hour" ? "Hour" : "Day", "Messages in", "Messages out", "Conversations started"],
  ...r.series.map((s) => [s.period, s.messagesIn, s.messagesOut, s.started]),
];

export const funnelRows = (r: Report): Cell[][] => [
  ["Node", "Reached", "Share of Welcome (%)", "Went on", "Dropped off", "Drop-off (%)"],
  ...r.funnel.map((f) => [f.label, f.reached, percent(f.share), f.wentOn, f.dropOff, percent(f.dropOffRate)]),
];

export const answerRows = (node: Report["answers"][number]): Cell[][] => [
  ["Option", "Kind", "Answers", "Share (%)"],
  ...node.entries.map((e) => [e.label, e.kind === "option" ? "Option" : "Free text", e.count, percent(e.percent)]),
];

export const webhookRows = (r: Report): Cell[][] => [
  [
    "Node",
    "Option",
    "Deliveries",
    "Attempts",
    "Delivered",
    "Failed",
    "Success (%)",
    "p50 (ms)",
    "p95 (ms)",
    "p99 (ms)",
  ],
  ...r.webhooks.map((w) => [
    w.nodeLabel,
    w.label,
    w.deliveries,
    w.attempts,
    w.delivered,
    w.failed,
    percent(w.successRate),
    round(w.p50Ms),
    round(w.p95Ms),
    round(w.p99Ms),
  ]),
];

/** The hand-off campaigns' types, in the product's words. */
export const handoffTypeLabels: Record<Report["handoffs"][number]["type"], string> = {
  raffle_giveaway: "Raffle Giveaway",
  polls_surveys: "Polls & Surveys",
  web_polls_surveys: "Web Polls & Surveys",
};

export const handoffRows = (r: Report): Cell[][] => [
  ["Campaign", "Type", "Entries", "Winners", "Completed"],
  ...r.handoffs.map((x) => [x.name, handoffTypeLabels[x.type], x.entries, x.winners ?? "", x.completed ?? ""]),
];

export const liveChatRows = (r: Report): Cell[][] => [
  ["Figure", "Value"],
  ["Handed to agents", r.liveChat.conversations],
  ["Answered by an agent", r.liveChat.answered],
  ["Median seconds to first reply", r.liveChat.firstReplySeconds ?? ""],
  ["Median seconds to close", r.liveChat.closeSeconds ?? ""],
];

export const totalsRows = (r: Report): Cell[][] => [
  ["Figure", "Value"],
  ["Participants", r.totals.participants],
  ["Conversations started", r.totals.started],
  ["Finished", r.totals.finished],
  ["Expired", r.totals.expired],
  ["Handed off", r.totals.handedOff],
  ["Chose an option", r.totals.participated],
  ["Participation rate (%)", percent(r.totals.participationRate)],
  ["Messages in", r.totals.messagesIn],
  ["Messages out", r.totals.messagesOut],
];

/** The whole report in one CSV: each section under its title, a blank line between sections. */
export function reportCsv(r: Report): string {
  const sections: [string, Cell[][]][] = [
    [`Report of campaign ${r.campaignId}: ${r.from} to ${r.to} (${r.timeZone})`, totalsRows(r)],
    ["Messages", seriesRows(r)],
    ["Funnel", funnelRows(r)],
    ...r.answers.map((n): [string, Cell[][]] => [`Answers: ${n.label}`, answerRows(n)]),
    ["Webhook health", webhookRows(r)],
    ["Hand-offs", handoffRows(r)],
    ["Live Chat", liveChatRows(r)],
  ];
  return sections.map(([title, rows]) => toCsv([[title], ...rows])).join("\r\n");
}

export const formatPercent = (v: number | null) => (v === null ? "—" : `${percent(v)} %`);
export const formatMs = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);

/** Hands the browser a file to save. */
export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
