import { ArrowLeft, Download } from "lucide-react";
import { useId, useState } from "react";
import { Link, useParams } from "react-router";
import { FieldError } from "../../../components/FieldError";
import { TableHead } from "../../../components/TableHead";
import { ApiError } from "../../../lib/api-client";
import { useReport } from "../api/report";
import {
  answerRows,
  downloadCsv,
  formatMs,
  formatPercent,
  funnelRows,
  handoffTypeLabels,
  reportCsv,
  seriesRows,
} from "../model/report-csv";
import {
  customRangeError,
  type DateRange,
  granularityOf,
  type Preset,
  presetLabels,
  presetRange,
} from "../model/report-range";
import { AnswerList } from "./AnswerList";
import { ChartFigure } from "./ChartFigure";
import { AnswersChart, FunnelChart, MessagesChart } from "./ReportCharts";
import styles from "./reports.module.css";

const presets: Preset[] = ["today", "7", "30", "custom"];

/** A chatbot's report over a range of days: its figures, charts with tables, webhook health and free-text answers. */
export function ReportPage() {
  const campaignId = Number(useParams().campaignId);
  const [preset, setPreset] = useState<Preset>("7");
  const [custom, setCustom] = useState<DateRange>({ from: "", to: "" });
  const [today, setToday] = useState<string | null>(null);
  const customError = preset === "custom" ? customRangeError(custom) : null;
  const [asked, setAsked] = useState<DateRange | null>(null);
  // Presets end on the installation's today, which the first answer tells; until then the API's default (7 days).
  const range: DateRange | null = preset === "custom" ? asked : today ? presetRange(preset, today) : null;
  const report = useReport(campaignId, range, granularityOf(range));
  const r = report.data;
  if (r && r.today !== today) setToday(r.today);
  const ids = { from: useId(), to: useId(), error: useId() };

  const choose = (p: Preset) => {
    setPreset(p);
    if (p === "custom" && r) setCustom({ from: r.from, to: r.to });
    if (p === "custom" && r) setAsked({ from: r.from, to: r.to });
  };
  const changeCustom = (next: DateRange) => {
    setCustom(next);
    if (!customRangeError(next)) setAsked(next);
  };
  const questions = r?.answers.flatMap((n) => n.entries.filter((e) => e.kind === "question")) ?? [];

  return (
    <div className="page">
      <header className="page-header row">
        <div>
          <Link to={`/campaigns/${campaignId}`} className="back-link">
            <ArrowLeft size={14} aria-hidden /> Chatbot
          </Link>
          <h1>Report of campaign {campaignId}</h1>
          {r && (
            <p className="muted">
              {r.from === r.to ? r.from : `${r.from} to ${r.to}`} · days in {r.timeZone}
              {r.flowVersion ? ` · laid out on version ${r.flowVersion}` : " · not published yet"}
            </p>
          )}
        </div>
        <button
          type="button"
          className="button"
          disabled={!r}
          onClick={() => r && downloadCsv(`report-${campaignId}-${r.from}-${r.to}.csv`, reportCsv(r))}
        >
          <Download size={16} aria-hidden /> Download report (CSV)
        </button>
      </header>

      <fieldset className={styles.range}>
        <legend>Date range</legend>
        {presets.map((p) => (
          <label key={p} className={styles.rangeOption}>
            <input type="radio" name="range" checked={preset === p} onChange={() => choose(p)} />
            {presetLabels[p]}
          </label>
        ))}
        {preset === "custom" && (
          <span className={styles.customRange}>
            <label className="field inline" htmlFor={ids.from}>
              <span>From</span>
              <input
                id={ids.from}
                type="date"
                value={custom.from}
                aria-invalid={!!customError}
                aria-describedby={ids.error}
                onChange={(e) => changeCustom({ ...custom, from: e.target.value })}
              />
            </label>
            <label className="field inline" htmlFor={ids.to}>
              <span>To</span>
              <input
                id={ids.to}
                type="date"
                value={custom.to}
                aria-invalid={!!customError}
                aria-describedby={ids.error}
                onChange={(e) => changeCustom({ ...custom, to: e.target.value })}
              />
            </label>
            <FieldError id={ids.error} message={customError ?? undefined} />
          </span>
        )}
      </fieldset>

      {report.isPending && (
        <p className="muted" aria-busy="true">
          Loading the report…
        </p>
      )}
      {report.isError && (
        <p role="alert" className="error">
          {report.error instanceof ApiError ? report.error.message : "The report could not be loaded."}{" "}
          <button type="button" className="link-button" onClick={() => report.refetch()}>
            Try again
          </button>
        </p>
      )}
      {r && (
        <>
          <dl className={styles.totals} aria-label="Totals">
            <Figure term="Participants" value={r.totals.participants} />
            <Figure term="Conversations started" value={r.totals.started} />
            <Figure term="Finished" value={r.totals.finished} />
            <Figure term="Expired" value={r.totals.expired} />
            <Figure term="Handed off" value={r.totals.handedOff} />
            <Figure term="Participation rate" value={formatPercent(r.totals.participationRate)} />
            <Figure term="Messages in" value={r.totals.messagesIn} />
            <Figure term="Messages out" value={r.totals.messagesOut} />
          </dl>

          <ChartFigure
            title={r.granularity === "hour" ? "Messages per hour" : "Messages per day"}
            rows={seriesRows(r)}
            fileName={`messages-${campaignId}-${r.from}-${r.to}.csv`}
          >
            <MessagesChart report={r} />
          </ChartFigure>

          <ChartFigure title="Funnel" rows={funnelRows(r)} fileName={`funnel-${campaignId}-${r.from}-${r.to}.csv`}>
            <FunnelChart report={r} />
          </ChartFigure>

          {r.answers.map((node) => (
            <ChartFigure
              key={node.nodeId}
              title={`Answers at ${node.label}`}
              rows={answerRows(node)}
              fileName={`answers-${campaignId}-${node.nodeId}.csv`}
            >
              <AnswersChart node={node} />
            </ChartFigure>
          ))}

          <section className="card" aria-labelledby="webhook-health">
            <h2 id="webhook-health">Webhook health per option</h2>
            <table className="table" aria-label="Webhook health per option">
              <TableHead columns={["Option", "Deliveries", "Success rate", "p50", "p95", "p99", "Failed", ""]} />
              <tbody>
                {r.webhooks.map((w) => (
                  <tr key={w.entryId}>
                    <th scope="row">
                      {w.label} <span className="muted small">({w.nodeLabel})</span>
                    </th>
                    <td>{w.deliveries}</td>
                    <td>{formatPercent(w.successRate)}</td>
                    <td>{formatMs(w.p50Ms)}</td>
                    <td>{formatMs(w.p95Ms)}</td>
                    <td>{formatMs(w.p99Ms)}</td>
                    <td>{w.failed}</td>
                    <td>
                      <Link to={`/deliveries?campaignId=${campaignId}&entryId=${encodeURIComponent(w.entryId)}`}>
                        Deliveries of {w.label}
                      </Link>
                    </td>
                  </tr>
                ))}
                {r.webhooks.length === 0 && (
                  <tr>
                    <td colSpan={8} className="empty">
                      No option of this chatbot sends a webhook.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>

          <section className="card" aria-labelledby="handoff-outcomes">
            <h2 id="handoff-outcomes">Hand-offs</h2>
            <table className="table" aria-label="Hand-offs">
              <TableHead columns={["Campaign", "Type", "Entries", "Winners", "Completed"]} />
              <tbody>
                {r.handoffs.map((x) => (
                  <tr key={x.campaignId}>
                    <th scope="row">
                      <Link to={`/campaigns/${x.campaignId}/${handoffPaths[x.type]}`}>{x.name}</Link>
                    </th>
                    <td>{handoffTypeLabels[x.type]}</td>
                    <td>{x.entries}</td>
                    <td>{x.winners ?? "—"}</td>
                    <td>{x.completed ?? "—"}</td>
                  </tr>
                ))}
                {r.handoffs.length === 0 && (
                  <tr>
                    <td colSpan={5} className="empty">
                      No option of this chatbot hands the conversation to another campaign.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>

          <section className="card" aria-labelledby="live-chat-figures">
            <h2 id="live-chat-figures">Live Chat</h2>
            <dl className={styles.totals} aria-label="Live Chat figures">
              <Figure term="Handed to agents" value={r.liveChat.conversations} />
              <Figure term="Answered by an agent" value={r.liveChat.answered} />
              <Figure term="Time to first reply (median)" value={formatSeconds(r.liveChat.firstReplySeconds)} />
              <Figure term="Time to close (median)" value={formatSeconds(r.liveChat.closeSeconds)} />
            </dl>
          </section>

          {questions.map((q) => (
            <AnswerList key={q.entryId} campaignId={campaignId} entryId={q.entryId} label={q.label} range={range} />
          ))}
        </>
      )}
    </div>
  );
}

/** "1 min 35 s", "42 s", or a dash when nothing was measured yet. */
function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Where each hand-off campaign's own page (settings and results) is. */
const handoffPaths = { raffle_giveaway: "raffle", polls_surveys: "survey", web_polls_surveys: "web-poll" } as const;

function Figure({ term, value }: { term: string; value: number | string }) {
  return (
    <div className={styles.figureTile}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
