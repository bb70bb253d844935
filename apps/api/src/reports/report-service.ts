import {
  REPORT_ANSWERS_PAGE_SIZE,
  REPORT_MAX_DAYS,
  REPORT_MAX_HOURLY_DAYS,
  type Report,
  type ReportAnswers,
} from "@switchboard/contracts/reports";
import { optionsOf, questionEntryOf } from "@switchboard/domain/conversation/flow-snapshot";
import {
  answerDistribution,
  funnel,
  LATENCY_BOUNDS_MS,
  ratio,
  webhookHealth,
} from "@switchboard/domain/report/figures";
import { AppError } from "../errors/app-error";
import type { ReportRange, ReportStore } from "./report-store";

const DAY_MS = 86_400_000;

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

export function reportService(deps: { store: ReportStore; timeZone: string; now: () => Date }) {
  const { store, timeZone, now } = deps;

  /** The range asked for, defaulted (the last 7 days up to today) and checked. */
  function rangeOf(
    campaignId: number,
    query: { from?: string | undefined; to?: string | undefined },
    granularity: "day" | "hour",
  ): ReportRange & { today: string } {
    const today = localDate(now(), timeZone);
    const to = query.to ?? (query.from && query.from > today ? query.from : today);
    const from = query.from ?? addDays(to, -6);
    const days = daysBetween(from, to) + 1;
    if (days < 1) {
      throw new AppError("validation_failed", "The range ends before it starts.", [
        { path: "query.to", code: "range_reversed", message: "Must be on or after the first day (from)." },
      ]);
    }
    if (days > REPORT_MAX_DAYS) {
      throw new AppError("validation_failed", `A report covers ${REPORT_MAX_DAYS} days at most.`, [
        { path: "query.from", code: "range_too_long", message: `Must be at most ${REPORT_MAX_DAYS} days before to.` },
      ]);
    }
    if (granularity === "hour" && days > REPORT_MAX_HOURLY_DAYS) {
      throw new AppError("validation_failed", `Hour by hour covers ${REPORT_MAX_HOURLY_DAYS} days at most.`, [
        {
          path: "query.granularity",
          code: "range_too_long",
          message: `Use "day" for ranges longer than ${REPORT_MAX_HOURLY_DAYS} days.`,
        },
      ]);
    }
    return { campaignId, from, to, timeZone, today };
  }

  return {
    async report(
      campaignId: number,
      query: { from?: string | undefined; to?: string | undefined; granularity: "day" | "hour" },
    ): Promise<Report> {
      const range = rangeOf(campaignId, query, query.granularity);
      const flow = await store.publishedFlow(campaignId);
      if (flow === undefined) throw AppError.notFound(`Campaign ${campaignId}`);
      const rows = await store.rollups(range, query.granularity, LATENCY_BOUNDS_MS.length + 1);
      const chosen = new Map(rows.entries.map((e) => [e.entryId, e.chosen]));
      const actedAt = new Map<string, number>();
      for (const e of rows.entries) actedAt.set(e.nodeId, (actedAt.get(e.nodeId) ?? 0) + e.chosen);
      const deliveries = new Map(rows.entries.map((e) => [e.entryId, e.deliveries]));
      const webhooks = (flow?.nodes ?? []).flatMap((node) =>
        // The entries whose choice or answer sends a webhook, as the engine decides it.
        [
          ...optionsOf(node).filter((e) => (e.webhookEnabled && e.webhook) || e.redirectType === "integration"),
          ...[questionEntryOf(node)].filter(
            (e) => e !== null && e.webhook !== null && (e.redirectType === "webhook" || e.webhookEnabled),
          ),
        ]
          .filter((e) => e !== null)
          .map((e) => {
            const a = rows.attempts.get(e.id);
            return {
              entryId: e.id,
              nodeId: node.id,
              label: e.menuText ?? e.keyword,
              nodeLabel: node.label,
              ...webhookHealth({
                deliveries: deliveries.get(e.id) ?? 0,
                attempts: a?.attempts ?? 0,
                delivered: a?.delivered ?? 0,
                failed: a?.failed ?? 0,
                latency: a?.latency ?? [],
              }),
            };
          }),
      );
      // The hand-off campaigns the published options lead to, and what came of them in the range.
      const handedTo = (flow?.nodes ?? []).flatMap((node) =>
        optionsOf(node).flatMap((e) =>
          e.redirectType === "campaign" && e.redirectTo && /^\d+$/.test(e.redirectTo) ? [Number(e.redirectTo)] : [],
        ),
      );
      const handoffs = await store.handoffOutcomes(range, [...new Set(handedTo)]);
      const liveChat = await store.liveChat(range);
      return {
        campaignId,
        timeZone,
        today: range.today,
        from: range.from,
        to: range.to,
        granularity: query.granularity,
        flowVersion: flow?.version ?? null,
        totals: {
          participants: rows.participants,
          ...rows.totals,
          participationRate: ratio(rows.totals.participated, rows.totals.started),
        },
        series: rows.series,
        funnel: flow ? funnel(flow, rows.reached, actedAt) : [],
        answers: flow ? answerDistribution(flow, chosen) : [],
        webhooks,
        handoffs,
        liveChat,
      };
    },

    /** The free text that answered one question, newest first, optionally only those containing `q`. */
    async answers(
      campaignId: number,
      query: {
        entryId: string;
        q?: string | undefined;
        from?: string | undefined;
        to?: string | undefined;
        page: number;
      },
    ): Promise<ReportAnswers> {
      const range = rangeOf(campaignId, query, "day");
      const flow = await store.publishedFlow(campaignId);
      if (flow === undefined) throw AppError.notFound(`Campaign ${campaignId}`);
      const { items, total } = await store.answers(range, query.entryId, query.q?.trim() || null, {
        limit: REPORT_ANSWERS_PAGE_SIZE,
        offset: (query.page - 1) * REPORT_ANSWERS_PAGE_SIZE,
      });
      return {
        items: items.map((i) => ({ text: i.text, at: i.at.toISOString() })),
        total,
        page: query.page,
        pageSize: REPORT_ANSWERS_PAGE_SIZE,
      };
    },
  };
}
export type ReportService = ReturnType<typeof reportService>;
