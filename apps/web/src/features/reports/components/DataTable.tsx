export interface DataTableProps {
  label: string;
  /** The heading row first. */
  rows: (string | number | null)[][];
}

/** Rows of figures as a table, the first row as column headings and each row's first cell as its heading. */
export function DataTable({ label, rows }: DataTableProps) {
  const [head = [], ...body] = rows;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={String(h)} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {body.map((row) => (
          <tr key={String(row[0])}>
            {row.map((cell, i) =>
              i === 0 ? (
                <th key={i} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={i}>{cell ?? "—"}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
