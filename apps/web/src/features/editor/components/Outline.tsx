import type { Flow } from "@switchboard/contracts/flow";
import { ChevronsDownUp, ChevronsUpDown, Search } from "lucide-react";
import { useDeferredValue, useMemo, useState } from "react";
import type { Selection } from "../hooks/editor-context";
import type { FlowProblem } from "../model/outline";
import { searchFlow } from "../model/outline";
import styles from "./editor.module.css";

export interface OutlineProps {
  flow: Flow;
  /** What Publish would refuse now, by node. */
  problems: ReadonlyMap<string, readonly FlowProblem[]>;
  onJump: (selection: Selection) => void;
  onCollapseAll: (collapsed: boolean) => void;
}

/** A large chatbot at a glance: every node with its entries and problems, a search, and collapse for all. */
export function Outline({ flow, problems, onJump, onCollapseAll }: OutlineProps) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const hits = useMemo(() => searchFlow(flow, deferred), [flow, deferred]);
  return (
    <nav aria-label="Outline" className={`card ${styles.outline}`}>
      <label className="field inline">
        <Search size={14} aria-hidden />
        <input
          type="search"
          aria-label="Search messages, menu texts and URLs"
          placeholder="Search messages, menu texts, URLs"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      {deferred.trim() ? (
        <section aria-label="Search results">
          <p className="muted" role="status">
            {hits.length === 0 ? "Nothing found." : `${hits.length} found`}
          </p>
          <ul className={styles.outlineList}>
            {hits.map((hit) => (
              <li key={`${hit.where}-${hit.entryId ?? hit.nodeId}`}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onJump({ nodeId: hit.nodeId, entryId: hit.entryId })}
                >
                  {hit.where}
                </button>
                <span className={`muted ${styles.outlineText}`}>{hit.text}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <>
          <span className="row-actions">
            <button type="button" className="button small" onClick={() => onCollapseAll(true)}>
              <ChevronsDownUp size={14} aria-hidden /> Collapse all
            </button>
            <button type="button" className="button small" onClick={() => onCollapseAll(false)}>
              <ChevronsUpDown size={14} aria-hidden /> Expand all
            </button>
          </span>
          <ul className={styles.outlineList}>
            {flow.nodes.map((node) => {
              const count = problems.get(node.id)?.length ?? 0;
              const entries = `${node.entries.length} ${node.entries.length === 1 ? "entry" : "entries"}`;
              return (
                <li key={node.id}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onJump({ nodeId: node.id, entryId: null })}
                  >
                    {node.label}
                  </button>{" "}
                  <span className="muted">{entries}</span>
                  {count > 0 && (
                    <span className="badge badge-failed">
                      {count} {count === 1 ? "problem" : "problems"}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </nav>
  );
}
