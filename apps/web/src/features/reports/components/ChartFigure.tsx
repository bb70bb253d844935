import { Download } from "lucide-react";
import { type ReactNode, useId } from "react";
import { downloadCsv, toCsv } from "../model/report-csv";
import { DataTable } from "./DataTable";
import styles from "./reports.module.css";

export interface ChartFigureProps {
  title: string;
  /** The chart's data, the heading row first: shown as a table on demand and downloaded as CSV. */
  rows: (string | number | null)[][];
  fileName: string;
  children: ReactNode;
}

/** A chart with its title, its data as an accessible table (for screen readers and for reading exact numbers), and a
 * CSV download of that data. The drawing itself is hidden from assistive technology: the table says the same. */
export function ChartFigure({ title, rows, fileName, children }: ChartFigureProps) {
  const id = useId();
  return (
    <figure className={`card ${styles.figure}`} aria-labelledby={id}>
      <div className={styles.figureHead}>
        <h2 id={id}>{title}</h2>
        <button
          type="button"
          className="button"
          aria-label={`Download ${title} as CSV`}
          onClick={() => downloadCsv(fileName, toCsv(rows))}
        >
          <Download size={16} aria-hidden /> CSV
        </button>
      </div>
      {/* The table below is the accessible form: the drawing is hidden from assistive technology, and not focusable. */}
      <div className={styles.chart} aria-hidden="true">
        {children}
      </div>
      <details className={styles.tableAlternative}>
        <summary>Show {title.toLowerCase()} as a table</summary>
        <DataTable label={title} rows={rows} />
      </details>
    </figure>
  );
}
