import type { FlowSnapshot } from "./flow-snapshot";

/**
 * Published snapshots are stored as documents with a format number, and every reader goes through readFlowSnapshot:
 * when the model changes, the change adds a step to MIGRATIONS instead of stranding the versions already published
 * (conversations keep running on the version they started with, for days).
 */
export const FLOW_FORMAT = 1;

/** A published flow as stored (flow_version.snapshot). */
export type StoredFlowSnapshot = FlowSnapshot & { format: number };

/**
 * MIGRATIONS[n] turns a document of format n into one of format n + 1. Format 1 is the first numbered one; documents
 * published before formats were numbered carry none and are format 1 in content.
 */
const MIGRATIONS: Record<number, (document: Record<string, unknown>) => Record<string, unknown>> = {};

export class FlowFormatError extends Error {}

export function toStoredSnapshot(snapshot: FlowSnapshot): StoredFlowSnapshot {
  return { format: FLOW_FORMAT, ...snapshot };
}

/**
 * The stored text of a published flow. Text, not jsonb: JSON.stringify keeps every object's keys in insertion order, so
 * a webhook Body is sent with its extras in the order the marketer typed them.
 */
export function serializeFlowSnapshot(snapshot: FlowSnapshot): string {
  return JSON.stringify(toStoredSnapshot(snapshot));
}

/** Brings a stored document (its JSON text, or the parsed value) to the current format. Pure: the caller may cache the result. */
export function readFlowSnapshot(stored: unknown): FlowSnapshot {
  if (typeof stored === "string") {
    try {
      stored = JSON.parse(stored);
    } catch {
      throw new FlowFormatError("A published flow must be JSON.");
    }
  }
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) {
    throw new FlowFormatError("A published flow must be a JSON object.");
  }
  let document = stored as Record<string, unknown>;
  let format = document.format === undefined ? 1 : document.format;
  if (typeof format !== "number" || !Number.isInteger(format) || format < 1) {
    throw new FlowFormatError(`A published flow has an unknown format (${JSON.stringify(format)}).`);
  }
  if (format > FLOW_FORMAT) {
    throw new FlowFormatError(
      `This flow was published by a newer Switchboard (format ${format}; this one reads up to ${FLOW_FORMAT}).`,
    );
  }
  while (format < FLOW_FORMAT) {
    const step = MIGRATIONS[format];
    if (!step) throw new FlowFormatError(`No migration from flow format ${format}.`);
    document = step(document);
    format++;
  }
  const { format: _format, ...snapshot } = document;
  return snapshot as unknown as FlowSnapshot;
}
