import type { Report } from "@switchboard/contracts/reports";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Colours come from the design tokens, so the charts follow the light and dark themes. No animation: the numbers
// matter, and motion is a distraction for some readers.
const axis = { fill: "var(--muted)", fontSize: 12 };
const tooltip = {
  contentStyle: { background: "var(--surface)", border: "1px solid var(--line)", color: "var(--fg)" },
  cursor: { fill: "var(--line)", opacity: 0.4 },
};

/** Messages in and out per day (or hour). */
export function MessagesChart({ report }: { report: Report }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart accessibilityLayer={false} data={report.series}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" vertical={false} />
        <XAxis dataKey="period" tick={axis} stroke="var(--line)" />
        <YAxis allowDecimals={false} tick={axis} stroke="var(--line)" />
        <Tooltip {...tooltip} />
        <Legend />
        <Bar dataKey="messagesIn" name="Messages in" fill="var(--chart-1)" isAnimationActive={false} />
        <Bar dataKey="messagesOut" name="Messages out" fill="var(--chart-2)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** How many conversations reached each node, in flow order. */
export function FunnelChart({ report }: { report: Report }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, report.funnel.length * 36)}>
      <BarChart accessibilityLayer={false} data={report.funnel} layout="vertical" margin={{ left: 24 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={axis} stroke="var(--line)" />
        <YAxis type="category" dataKey="label" width={140} tick={axis} stroke="var(--line)" />
        <Tooltip {...tooltip} />
        <Bar dataKey="reached" name="Reached" fill="var(--chart-1)" isAnimationActive={false} />
        <Bar dataKey="dropOff" name="Dropped off" fill="var(--chart-3)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** How often each option of one node was chosen (or its question answered). */
export function AnswersChart({ node }: { node: Report["answers"][number] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(100, node.entries.length * 36)}>
      <BarChart accessibilityLayer={false} data={node.entries} layout="vertical" margin={{ left: 24 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={axis} stroke="var(--line)" />
        <YAxis type="category" dataKey="label" width={140} tick={axis} stroke="var(--line)" />
        <Tooltip {...tooltip} />
        <Bar dataKey="count" name="Answers" fill="var(--chart-2)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
