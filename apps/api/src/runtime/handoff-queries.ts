import { randomUUID } from "node:crypto";
import type { Answers } from "@switchboard/domain/handoff/survey";
import type pg from "pg";

/** Where a survey's conversation goes when the survey is over: the chatbot that handed it over, at a node. */
export interface ReturnTo {
  campaignId: number;
  version: number;
  nodeId: string;
}

export interface OpenSurveyResponse {
  id: string;
  answers: Answers;
  questionIndex: number;
  returnTo: ReturnTo | null;
}

export interface StoredHandoff {
  settings: unknown;
  webhookId: string;
  signingSecret: string | null;
}

/**
 * The hand-off campaigns' reads and writes inside a conversation's transaction. Unlike the rest of a turn they run at
 * once, not with the COMMIT: a prize must be taken (and seen taken by the next entry) before the reply is decided.
 * None of them can fail on a duplicate: a failed statement would roll back every turn of the batch.
 */
export class HandoffQueries {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly phoneNumber: string,
    private readonly test: boolean,
  ) {}

  /** The campaign's settings; with `lock`, its row stays locked until the commit, so entries are taken one by one. */
  async settings(campaignId: number, lock = false): Promise<StoredHandoff | null> {
    const { rows } = await this.client.query(
      `SELECT settings, webhook_id, signing_secret FROM handoff_settings WHERE campaign_id = $1${lock ? " FOR UPDATE" : ""}`,
      [campaignId],
    );
    const r = rows[0];
    return r ? { settings: r.settings, webhookId: r.webhook_id, signingSecret: r.signing_secret } : null;
  }

  async raffleEntered(campaignId: number): Promise<boolean> {
    const { rows } = await this.client.query(
      "SELECT 1 FROM raffle_entry WHERE campaign_id = $1 AND phone_number = $2 AND test = $3",
      [campaignId, this.phoneNumber, this.test],
    );
    return rows.length > 0;
  }

  async prizesLeft(campaignId: number): Promise<number> {
    const { rows } = await this.client.query(
      "SELECT COALESCE(SUM(GREATEST(quantity - awarded, 0)), 0)::int AS left FROM raffle_prize WHERE campaign_id = $1",
      [campaignId],
    );
    return Number(rows[0]?.left ?? 0);
  }

  async participants(campaignId: number): Promise<number> {
    const { rows } = await this.client.query(
      "SELECT count(*)::int AS n FROM raffle_entry WHERE campaign_id = $1 AND test = $2",
      [campaignId, this.test],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Takes one prize, the first in order with one left, in one conditional UPDATE: `awarded < quantity` is checked
   * again on the locked row, so however many entries race, a prize is never awarded more times than its quantity.
   * Simulator entries see which prize they would get and take none.
   */
  async awardPrize(campaignId: number): Promise<string | null> {
    if (this.test) {
      const { rows } = await this.client.query(
        "SELECT name FROM raffle_prize WHERE campaign_id = $1 AND awarded < quantity ORDER BY position LIMIT 1",
        [campaignId],
      );
      return rows[0]?.name ?? null;
    }
    const { rows } = await this.client.query(
      `UPDATE raffle_prize SET awarded = awarded + 1
        WHERE id = (SELECT id FROM raffle_prize WHERE campaign_id = $1 AND awarded < quantity
                     ORDER BY position LIMIT 1 FOR UPDATE)
          AND awarded < quantity
        RETURNING name`,
      [campaignId],
    );
    return rows[0]?.name ?? null;
  }

  /** False when this phone number had an entry already (a race with another sender's conversation). */
  async addRaffleEntry(e: {
    campaignId: number;
    sessionId: string;
    number: number;
    won: boolean;
    prize: string | null;
    at: Date;
  }): Promise<boolean> {
    const { rowCount } = await this.client.query(
      `INSERT INTO raffle_entry (id, campaign_id, phone_number, test, session_id, number, won, prize, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (campaign_id, phone_number, test) DO NOTHING`,
      [randomUUID(), e.campaignId, this.phoneNumber, this.test, e.sessionId, e.number, e.won, e.prize, e.at],
    );
    return rowCount === 1;
  }

  async completedResponses(campaignId: number): Promise<number> {
    const { rows } = await this.client.query(
      `SELECT count(*)::int AS n FROM survey_response
        WHERE campaign_id = $1 AND phone_number = $2 AND test = $3 AND completed_at IS NOT NULL`,
      [campaignId, this.phoneNumber, this.test],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async startResponse(r: {
    campaignId: number;
    sessionId: string;
    source: "chat" | "web";
    answers: Answers;
    questionIndex: number;
    returnTo: ReturnTo | null;
    completedAt: Date | null;
    at: Date;
  }): Promise<string> {
    const id = randomUUID();
    await this.client.query(
      `INSERT INTO survey_response (id, campaign_id, phone_number, test, session_id, source, answers, question_index,
         return_to, completed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        r.campaignId,
        this.phoneNumber,
        this.test,
        r.sessionId,
        r.source,
        JSON.stringify(r.answers),
        r.questionIndex,
        r.returnTo ? JSON.stringify(r.returnTo) : null,
        r.completedAt,
        r.at,
      ],
    );
    return id;
  }

  /** The unfinished chat response of a survey session. */
  async openResponse(sessionId: string): Promise<OpenSurveyResponse | null> {
    const { rows } = await this.client.query(
      `SELECT id, answers, question_index, return_to FROM survey_response
        WHERE session_id = $1 AND completed_at IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [sessionId],
    );
    const r = rows[0];
    return r ? { id: r.id, answers: r.answers, questionIndex: r.question_index, returnTo: r.return_to } : null;
  }

  async saveResponse(id: string, answers: Answers, questionIndex: number, completedAt: Date | null): Promise<void> {
    await this.client.query(
      "UPDATE survey_response SET answers = $2, question_index = $3, completed_at = $4 WHERE id = $1",
      [id, JSON.stringify(answers), questionIndex, completedAt],
    );
  }

  async addWebPollLink(l: {
    id: string;
    campaignId: number;
    sessionId: string;
    expiresAt: Date;
    at: Date;
  }): Promise<void> {
    await this.client.query(
      `INSERT INTO web_poll_link (id, campaign_id, phone_number, test, session_id, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [l.id, l.campaignId, this.phoneNumber, this.test, l.sessionId, l.expiresAt, l.at],
    );
  }
}
