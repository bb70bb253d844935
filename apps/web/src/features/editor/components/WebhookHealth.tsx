import type { entryWebhookStats } from "@switchboard/contracts/deliveries";
import { AlertTriangle } from "lucide-react";
import { Link } from "react-router";
import type { z } from "zod";
import styles from "./editor.module.css";

type Stats = z.infer<typeof entryWebhookStats>;

/**
 * A webhook's record at a glance, with the two alerts of the sender's notes: a streak of failed attempts (4 or more),
 * and deliveries that failed for good (no attempts left), which only a Recover sends again.
 */
export function WebhookHealth({ stats, campaignId }: { stats: Stats | undefined; campaignId: number }) {
  if (!stats || stats.total === 0) return null;
  const failedFor = `/deliveries?${new URLSearchParams({ campaignId: String(campaignId), entryId: stats.entryId, status: "failed" })}`;
  return (
    <>
      <p className={stats.failing ? "error" : "muted small"} role={stats.failing ? "alert" : undefined}>
        {stats.failing && <AlertTriangle size={14} aria-hidden />}{" "}
        {stats.failing
          ? `Failing: ${stats.consecutiveFailures} attempts in a row have failed.`
          : `${Math.round((stats.successRate ?? 0) * 100)} % delivered`}
        {stats.latencyMs.p50 !== null && ` · p50 ${stats.latencyMs.p50} ms, p99 ${stats.latencyMs.p99} ms`}
        {stats.pending > 0 && ` · ${stats.pending} pending`}
      </p>
      {stats.failed > 0 && (
        <p className={styles.notice} role="alert">
          <AlertTriangle size={14} aria-hidden />{" "}
          {stats.failed === 1 ? "1 delivery has" : `${stats.failed} deliveries have`} failed for good: no attempts are
          left. <Link to={failedFor}>Review and recover</Link>
        </p>
      )}
    </>
  );
}
