import { useState } from "react";
import { EmptyRow } from "../../../components/EmptyRow";
import { useReportAnswers } from "../api/report";
import type { DateRange } from "../model/report-range";
import styles from "./reports.module.css";

export interface AnswerListProps {
  campaignId: number;
  entryId: string;
  label: string;
  range: DateRange | null;
}

/** What end users typed to answer one question: searchable, newest first, a page at a time. */
export function AnswerList({ campaignId, entryId, label, range }: AnswerListProps) {
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const answers = useReportAnswers(campaignId, entryId, range, q.trim(), page);
  const total = answers.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (answers.data?.pageSize ?? 25)));
  return (
    <section className={`card ${styles.answers}`} aria-label={`Answers to ${label}`}>
      <div className={styles.figureHead}>
        <h3>Answers to {label}</h3>
        <label className="field inline">
          <span>Search answers</span>
          <input
            type="search"
            value={q}
            maxLength={200}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </div>
      <table className="table" aria-label={`Answers to ${label}`}>
        <thead>
          <tr>
            <th scope="col">Answer</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {answers.data?.items.map((a, i) => (
            <tr key={`${a.at}-${i}`}>
              <td>{a.text}</td>
              <td>
                <time dateTime={a.at}>{new Date(a.at).toLocaleString()}</time>
              </td>
            </tr>
          ))}
          {answers.data && total === 0 && (
            <EmptyRow columns={2}>{q ? "No answer contains this." : "No answers in this range."}</EmptyRow>
          )}
        </tbody>
      </table>
      <nav className="row-actions" aria-label={`Pages of answers to ${label}`}>
        <button type="button" className="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
          Previous
        </button>
        <span className="muted">
          Page {page} of {pages} ({total} answers)
        </span>
        <button type="button" className="button" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
          Next
        </button>
      </nav>
    </section>
  );
}
