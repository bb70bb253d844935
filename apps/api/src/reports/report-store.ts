import { readFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import type { FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import type pg from "pg";
import { ReportFold } from "./report-fold-store";

/** A range of local days in a time zone: rows whose hour falls from `from`'s midnight to the midnight after `to`. */
export interface LiveChatFigures {
  conversations: number;
  answered: number;
  firstReplySeconds: number | null;
  closeSeconds: number | null;
}

export interface ReportRange {
  campaignId: number;
  from: string;
  to: string;
  timeZone: string;
}

export interface ReportRows {
  series: { period: string; messagesIn: number; messagesOut: number; started: number }[];
  totals: {
    started: number;
    finished: number;
    expired: number;
    handedOff: number;
    participated: number;
    messagesIn: number;
    messagesOut: number;
  };
  participants: number;
  reached: Map<string, number>;
  entries: { entryId: string; nodeId: string; chosen: number; deliveries: number }[];
  /** Per entry: attempts per latency bucket, and the outcomes. */
  attempts: Map<string, { latency: number[]; attempts: number; delivered: number; failed: number }>;
}

/** A hand-off campaign's outcomes over a range (contracts' Report.handoffs). */
export interface HandoffOutcome {
  campaignId: number;
  name: string;
  type: "raffle_giveaway" | "polls_surveys" | "web_polls_surveys";
  entries: number;
  winners: number | null;
  completed: number | null;
}

export interface ReportStore {
  /** The outcomes of these hand-off campaigns (chatbots among the ids are ignored), by name. */
  handoffOutcomes(range: ReportRange, campaignIds: readonly number[]): Promise<HandoffOutcome[]>;
  /** The chatbot's Live Chat hand-overs in the range, and the median seconds to the first reply and to close. */
  liveChat(range: ReportRange): Promise<LiveChatFigures>;
  /** The chatbot's published flow (null before its first publish); undefined when there is no such campaign. */
  publishedFlow(campaignId: number): Promise<FlowSnapshot | null | undefined>;
  rollups(range: ReportRange, granularity: "day" | "hour", buckets: number): Promise<ReportRows>;
  answers(
    range: ReportRange,
    entryId: string,
    search: string | null,
    page: { limit: number; offset: number },
  ): Promise<{ items: { text: string; at: Date }[]; total: number }>;
}

// Rows whose UTC hour lies inside the local days: the range's bounds are local midnights in the zone.
const inRange = (column: string) =>
  `campaign_id = $1 AND ${column} >= ($2::date::timestamp AT TIME ZONE $4) AND ${column} < (($3::date + 1)::timestamp AT TIME ZONE $4)`;

const n = (v: unknown) => Number(v ?? 0);

/**
 * The report reads only the rollups (decision 0031): a handful of index range scans, whatever the traffic. The events
 * not yet folded into them are folded first (decision 0040), so a report counts every committed turn.
 */
export function pgReportStore(pool: pg.Pool, fold = new ReportFold(pool)): ReportStore {
  return {
    async handoffOutcomes(range, campaignIds) {
      if (campaignIds.length === 0) return [];
      // Counted from the hand-offs' own rows, by their (campaign, time) indexes: entries and responses, not transcripts.
      const within = (column: string) =>
        `${column} >= ($2::date::timestamp AT TIME ZONE $4) AND ${column} < (($3::date + 1)::timestamp AT TIME ZONE $4)`;
      const { rows } = await pool.query(
        `SELECT c.id, c.name, c.type::text AS type,
           CASE c.type
             WHEN 'raffle_giveaway' THEN (SELECT count(*) FROM raffle_entry e
                                          WHERE e.campaign_id = c.id AND NOT e.test AND ${within("e.created_at")})
             WHEN 'polls_surveys' THEN (SELECT count(*) FROM survey_response r
                                         WHERE r.campaign_id = c.id AND NOT r.test AND ${within("r.created_at")})
             ELSE (SELECT count(*) FROM web_poll_link l
                    WHERE l.campaign_id = c.id AND NOT l.test AND ${within("l.created_at")})
           END AS entries,
           CASE WHEN c.type = 'raffle_giveaway' THEN (SELECT count(*) FROM raffle_entry e
             WHERE e.campaign_id = c.id AND NOT e.test AND e.won AND ${within("e.created_at")}) END AS winners,
           CASE WHEN c.type <> 'raffle_giveaway' THEN (SELECT count(*) FROM survey_response r
             WHERE r.campaign_id = c.id AND NOT r.test AND ${within("r.completed_at")}) END AS completed
         FROM campaign c
        WHERE c.id = ANY($1::int[]) AND c.type <> 'chatbot'
        ORDER BY c.name, c.id`,
        [campaignIds, range.from, range.to, range.timeZone],
      );
      return rows.map((r) => ({
        campaignId: r.id,
        name: r.name,
        type: r.type,
        entries: n(r.entries),
        winners: r.winners === null ? null : n(r.winners),
        completed: r.completed === null ? null : n(r.completed),
      }));
    },
    async liveChat(range) {
      // Few rows per chatbot (people, not messages): read from the conversations themselves, not a rollup.
      const { rows } = await pool.query(
        `SELECT count(*)::int AS conversations, count(first_reply_at)::int AS answered,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply_at - waiting_since))
                  FILTER (WHERE first_reply_at IS NOT NULL) AS first_reply,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - waiting_since))
                  FILTER (WHERE closed_at IS NOT NULL) AS to_close
           FROM live_chat_conversation WHERE ${inRange("waiting_since")}`,
        [range.campaignId, range.from, range.to, range.timeZone],
      );
      const r = rows[0] ?? {};
      const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
      return {
        conversations: n(r.conversations),
        answered: n(r.answered),
        firstReplySeconds: seconds(r.first_reply),
        closeSeconds: seconds(r.to_close),
      };
    },
    async publishedFlow(campaignId) {
      const { rows } = await pool.query(
        `SELECT c.published_version, v.snapshot FROM campaign c
           LEFT JOIN flow_version v ON v.campaign_id = c.id AND v.version = c.published_version
          WHERE c.id = $1`,
        [campaignId],
      );
      if (!rows[0]) return undefined;
      return rows[0].snapshot ? readFlowSnapshot(rows[0].snapshot) : null;
    },

    async rollups(range, granularity, buckets) {
      await fold.run();
      const p = [range.campaignId, range.from, range.to, range.timeZone];
      // The periods come from the local calendar, so days without traffic are listed with zeros.
      const periods =
        granularity === "day"
          ? `SELECT to_char(d, 'YYYY-MM-DD') AS period FROM generate_series($2::date, $3::date, interval '1 day') AS d`
          : `SELECT to_char(d, 'YYYY-MM-DD"T"HH24:00') AS period
               FROM generate_series($2::date::timestamp, ($3::date + 1)::timestamp - interval '1 hour', interval '1 hour') AS d`;
      const format = granularity === "day" ? "YYYY-MM-DD" : `YYYY-MM-DD"T"HH24:00`;
      const series = await pool.query(
        `WITH sums AS (
           SELECT to_char(hour AT TIME ZONE $4, '${format}') AS period, sum(messages_in) AS messages_in,
                  sum(messages_out) AS messages_out, sum(started) AS started, sum(finished) AS finished,
                  sum(expired) AS expired, sum(handed_off) AS handed_off, sum(participated) AS participated
             FROM report_hour WHERE ${inRange("hour")} GROUP BY 1)
         SELECT s.*, p.period FROM (${periods}) p LEFT JOIN sums s ON s.period = p.period ORDER BY p.period`,
        p,
      );
      const participants = await pool.query(
        `SELECT count(DISTINCT phone_number) AS n FROM report_participant WHERE ${inRange("hour")}`,
        p,
      );
      const nodes = await pool.query(
        `SELECT node_id, sum(reached) AS reached FROM report_node_hour WHERE ${inRange("hour")} GROUP BY node_id`,
        p,
      );
      const entries = await pool.query(
        `SELECT entry_id, max(node_id) AS node_id, sum(chosen) AS chosen, sum(deliveries) AS deliveries
           FROM report_entry_hour WHERE ${inRange("hour")} GROUP BY entry_id`,
        p,
      );
      const attempts = await pool.query(
        `SELECT entry_id, bucket, sum(attempts) AS attempts, sum(delivered) AS delivered, sum(failed) AS failed
           FROM report_attempt_hour WHERE ${inRange("hour")} GROUP BY entry_id, bucket`,
        p,
      );
      const totals = {
        started: 0,
        finished: 0,
        expired: 0,
        handedOff: 0,
        participated: 0,
        messagesIn: 0,
        messagesOut: 0,
      };
      for (const r of series.rows) {
        totals.started += n(r.started);
        totals.finished += n(r.finished);
        totals.expired += n(r.expired);
        totals.handedOff += n(r.handed_off);
        totals.participated += n(r.participated);
        totals.messagesIn += n(r.messages_in);
        totals.messagesOut += n(r.messages_out);
      }
      const byEntry = new Map<string, { latency: number[]; attempts: number; delivered: number; failed: number }>();
      for (const r of attempts.rows) {
        const e = byEntry.get(r.entry_id) ?? {
          latency: new Array<number>(buckets).fill(0),
          attempts: 0,
          delivered: 0,
          failed: 0,
        };
        const bucket = Math.min(n(r.bucket), buckets - 1);
        e.latency[bucket] = (e.latency[bucket] ?? 0) + n(r.attempts);
        e.attempts += n(r.attempts);
        e.delivered += n(r.delivered);
        e.failed += n(r.failed);
        byEntry.set(r.entry_id, e);
      }
      return {
        series: series.rows.map((r) => ({
          period: r.period as string,
          messagesIn: n(r.messages_in),
          messagesOut: n(r.messages_out),
          started: n(r.started),
        })),
        totals,
        participants: n(participants.rows[0]?.n),
        reached: new Map(nodes.rows.map((r) => [r.node_id as string, n(r.reached)])),
        entries: entries.rows.map((r) => ({
          entryId: r.entry_id as string,
          nodeId: r.node_id as string,
          chosen: n(r.chosen),
          deliveries: n(r.deliveries),
        })),
        attempts: byEntry,
      };
    },

    async answers(range, entryId, search, page) {
      await fold.run();
      const p = [range.campaignId, range.from, range.to, range.timeZone, entryId, search];
      // The search is a plain substring: LIKE's wildcards in it are matched literally.
      const where = `${inRange("at")} AND entry_id = $5
        AND ($6::text IS NULL OR text ILIKE '%' || replace(replace(replace($6::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`;
      const total = await pool.query(`SELECT count(*) AS n FROM report_answer WHERE ${where}`, p);
      const items = await pool.query(
        `SELECT text, at FROM report_answer WHERE ${where} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8`,
        [...p, page.limit, page.offset],
      );
      return {
        items: items.rows.map((r) => ({ text: r.text as string, at: new Date(r.at) })),
        total: n(total.rows[0]?.n),
      };
    },
  };
}
