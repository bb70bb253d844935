import type { ImportInput, ImportPlan } from "@switchboard/contracts/chatbot-documents";

export type Mapping = NonNullable<ImportInput["mapping"]>;
export type Need = ImportPlan["needs"][number];

/** An empty answer for every kind of thing a file may point at. */
export const emptyMapping = (): Required<{ [K in keyof Mapping]: NonNullable<Mapping[K]> }> => ({
  campaigns: {},
  integrations: {},
  secretHeaders: {},
  secretValues: {},
  teams: {},
});

/** The mapping with one need answered: a chosen id, or null to leave it out. */
export function answer(
  mapping: ReturnType<typeof emptyMapping>,
  need: Need,
  value: string,
): ReturnType<typeof emptyMapping> {
  const choice = value === "" ? null : value;
  switch (need.kind) {
    case "campaign":
      return { ...mapping, campaigns: { ...mapping.campaigns, [need.key]: choice === null ? null : Number(choice) } };
    case "integration":
      return { ...mapping, integrations: { ...mapping.integrations, [need.key]: choice } };
    case "secret_header":
      return { ...mapping, secretHeaders: { ...mapping.secretHeaders, [need.key]: choice } };
    case "team":
      return { ...mapping, teams: { ...mapping.teams, [need.key]: choice } };
    case "secret_value":
      return {
        ...mapping,
        secretValues: { ...mapping.secretValues, [need.key]: choice === null ? null : { secretHeaderId: choice } },
      };
    default:
      return mapping;
  }
}

/** The id the mapping holds for a need, as a select's value ("" for none). */
export function answered(mapping: ReturnType<typeof emptyMapping>, need: Need): string {
  const pick = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  switch (need.kind) {
    case "campaign":
      return pick(mapping.campaigns[need.key]);
    case "integration":
      return pick(mapping.integrations[need.key]);
    case "secret_header":
      return pick(mapping.secretHeaders[need.key]);
    case "team":
      return pick(mapping.teams[need.key]);
    case "secret_value": {
      const v = mapping.secretValues[need.key];
      return v && "secretHeaderId" in v ? v.secretHeaderId : "";
    }
    default:
      return "";
  }
}
