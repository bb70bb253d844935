import type { JsonObject } from "@switchboard/domain/json";
import { buildPayload, formatPayload, type SampleSource, sampleEvent } from "@switchboard/domain/payload";

/**
 * Exactly the fields, order and types that will be sent, with the same sample end user as Send test, and the Body's
 * extra parameters merged after the standard fields.
 */
export function previewPayload(source: SampleSource, extra: JsonObject, now: Date): string {
  return formatPayload(buildPayload(sampleEvent(source, now), extra));
}
