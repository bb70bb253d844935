import type pg from "pg";
import type { ClaimedDelivery } from "./delivery-rows";
import type { Saturated } from "./slots";

/**
 * For a WhatsApp message: when its user last wrote to the sender, for the 24-hour window checked at send time. A
 * message waits in the outbox (retries, an earlier message ahead of it), so the window is read as it is claimed.
 */
const WINDOW_COLUMNS = `d.kind = 'message' AND EXISTS (SELECT 1 FROM sender s
     WHERE s.id = d.sender_id AND s.provider IN ('twilio_whatsapp', 'whatsapp_cloud')) AS "whatsapp",
  CASE WHEN d.kind = 'message' THEN (SELECT max(m.created_at) FROM conversation_message m
     WHERE m.sender_id = d.sender_id AND m.phone_number = d.phone_number AND m.direction = 'inbound') END AS "lastInboundAt"`;

/** A claimed row as the statement returns it: the window's columns become ClaimedDelivery.serviceWindow. */
type ClaimedRow = Omit<ClaimedDelivery, "serviceWindow"> & {
  whatsapp: boolean | null;
  lastInboundAt: Date | string | null;
};

const claimed = (rows: ClaimedRow[]): ClaimedDelivery[] =>
  rows.map(({ whatsapp, lastInboundAt, ...row }) =>
    whatsapp
      ? { ...row, serviceWindow: { lastInboundAt: lastInboundAt === null ? null : new Date(lastInboundAt) } }
      : row,
  );

// The endpoint's signing secrets are read now, not when the event happened: a rotation signs every later attempt, with
// both secrets during its overlap. Named as ClaimedDelivery names them.
const CLAIMED_COLUMNS = `d.id, d.campaign_id AS "campaignId", d.entry_id AS "entryId", d.url, d.headers, d.payload, d.test, d.signing_secret AS "signingSecret",
  d.attempts, d.integration_id AS "integrationId", d.kind,
  (SELECT w.signing_secret FROM webhook w WHERE w.entry_id = d.entry_id::uuid) AS "currentSecret",
  (SELECT w.previous_signing_secret FROM webhook w
    WHERE w.entry_id = d.entry_id::uuid AND w.previous_signing_secret_until > now()) AS "previousSecret",
  ${WINDOW_COLUMNS}`;

/** Whether the endpoint of the delivery row `row` is disabled. */
const endpointDisabled = (row: string) =>
  `EXISTS (SELECT 1 FROM webhook w WHERE w.entry_id = ${row}.entry_id::uuid AND w.disabled_at IS NOT NULL)`;

/**
 * An outbound message goes only once every earlier message to the same phone number from the same sender has left the
 * outbox (delivered, failed for good or cancelled): a later message never overtakes an earlier one (decision 0022).
 * The status is compared as text so that the phone's own messages are read through the (sender, phone, seq) index, not
 * every pending delivery through the status index.
 */
const inConversationOrder = (row: string) =>
  `(${row}.kind = 'webhook' OR NOT EXISTS (SELECT 1 FROM delivery e
     WHERE e.sender_id = ${row}.sender_id AND e.phone_number = ${row}.phone_number AND e.seq < ${row}.seq
       AND e.kind = 'message' AND e.status::text IN ('pending', 'sending')))`;

/**
 * A disabled endpoint gets no more attempts: what waits for it is cancelled. The statement that cancels (`d` the
 * delivery rows, `from` and `where` which of them); the claim and the endpoint health both use it.
 */
export const cancelWaiting = (from: string, where: string) =>
  `UPDATE delivery d SET status = 'cancelled', lease_until = NULL, last_error = 'The endpoint is disabled.' ${from}
    WHERE d.status = 'pending' AND ${where}`;

/** Where a delivery stands, for one a claim by id did not take. */
export interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  url: string;
}

/** An endpoint as it is now: its signing secrets, and whether it is disabled. */
export interface EndpointNow {
  currentSecret: string | null;
  previousSecret: string | null;
  disabled: boolean;
}

/**
 * The outbox's statements that claim, hand back and cancel deliveries. The database row is the truth: a delivery is
 * claimed with a lease (FOR UPDATE SKIP LOCKED, so many senders can share one database); a row whose lease ran out
 * (its sender died) is claimed again, so nothing stays stuck in "sending".
 */
export class Claims {
  constructor(
    private readonly pool: Pick<pg.Pool, "query">,
    private readonly leaseMs: number,
  ) {}

  /**
   * Polling: up to `limit` due deliveries (or ones whose lease ran out), oldest first, none of an endpoint or host at
   * its cap. What waits for a disabled endpoint is cancelled on the way.
   */
  async due(now: Date, limit: number, saturated: Saturated): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<ClaimedRow>(
      `WITH cancelled AS (${cancelWaiting("", `d.next_attempt_at <= $1 AND ${endpointDisabled("d")}`)})
       ${this.claim(
         "((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until < $1))",
         "ORDER BY next_attempt_at",
         saturated,
       )}`,
      [now, new Date(now.getTime() + this.leaseMs), saturated.endpoints, limit, ...hostParam(saturated)],
    );
    return claimed(rows);
  }

  /** Those of `ids` that are due and free (scale-out jobs, committed ids), `limit` at most: claimed by primary key. */
  async byId(ids: readonly string[], now: Date, limit: number, saturated: Saturated): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<ClaimedRow>(
      this.claim(
        // Compared as text so that only the primary key finds these rows: the status index also holds an entry for
        // every row that passed through 'sending' until vacuum, and scanning those cost more than the claim.
        `id = ANY($${hostParam(saturated).length ? 6 : 5}::uuid[])
               AND ((status::text = 'pending' AND next_attempt_at <= $1) OR (status::text = 'sending' AND lease_until < $1))`,
        "",
        saturated,
      ),
      [now, new Date(now.getTime() + this.leaseMs), saturated.endpoints, limit, ...hostParam(saturated), ids],
    );
    return claimed(rows);
  }

  /** Where these deliveries stand: later, busy or finished, for the jobs that asked for them. */
  async states(ids: readonly string[]): Promise<DeliveryState[]> {
    const { rows } = await this.pool.query<DeliveryState>(
      `SELECT id, status::text AS status, attempts, next_attempt_at AS "nextAttemptAt", lease_until AS "leaseUntil", url
         FROM delivery WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows;
  }

  /** The endpoints of these entries as they are now (deliveries claimed at insert read their secrets here). */
  async endpoints(entryIds: readonly string[]): Promise<Map<string, EndpointNow>> {
    const { rows } = await this.pool.query<EndpointNow & { entryId: string }>(
      `SELECT entry_id::text AS "entryId", signing_secret AS "currentSecret",
              CASE WHEN previous_signing_secret_until > now() THEN previous_signing_secret END AS "previousSecret",
              disabled_at IS NOT NULL AS disabled
         FROM webhook WHERE entry_id = ANY($1::uuid[])`,
      [entryIds],
    );
    return new Map(rows.map((r) => [r.entryId, r]));
  }

  /** Claimed but not sent: back to the outbox, untried, due as it was (polling takes them). */
  async handBack(ids: readonly string[]): Promise<void> {
    await this.pool.query(
      `UPDATE delivery SET status = 'pending', attempts = attempts - 1, lease_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [ids],
    );
  }

  /**
   * The claim: rows that `which` picks, none of an endpoint ($3) or host ($5) at its cap nor of a disabled endpoint,
   * `$4` at most, leased until $2. A host's URLs are compared only when one is at its cap.
   */
  private claim(which: string, order: string, saturated: Saturated): string {
    return `UPDATE delivery d SET status = 'sending', attempts = d.attempts + 1, lease_until = $2
          WHERE d.id IN (
            SELECT id FROM delivery
             WHERE ${which}
               AND NOT (url = ANY($3::text[])) ${saturated.hostUrls.length ? "AND NOT (url LIKE ANY($5::text[]))" : ""}
               AND NOT ${endpointDisabled("delivery")}
               AND ${inConversationOrder("delivery")}
             ${order}
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
          RETURNING ${CLAIMED_COLUMNS}`;
  }
}

const hostParam = (saturated: Saturated): [string[]] | [] => (saturated.hostUrls.length ? [saturated.hostUrls] : []);
