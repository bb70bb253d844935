import type { deliveryDetail } from "@switchboard/contracts/deliveries";
import type { z } from "zod";
import { attemptRounds } from "../model/attempt-rounds";
import styles from "./deliveries.module.css";

/**
 * One delivery for debugging: where it went (the whole URL), what it was about (the option, the end user's phone
 * number, masked by the API for non-admins), the payload, and its attempts in time order, a Resend's apart.
 */
export function DeliveryDetails({ delivery }: { delivery: z.infer<typeof deliveryDetail> }) {
  return (
    <>
      <h2 className="h2">{delivery.progress}</h2>
      <dl className={styles.facts}>
        <dt>URL</dt>
        <dd className="mono">{delivery.url}</dd>
        <dt>Option</dt>
        <dd>{delivery.option ?? "—"}</dd>
        <dt>Phone number</dt>
        <dd className="mono">{delivery.phoneNumber ?? "—"}</dd>
        <dt>webhook-id</dt>
        <dd className="mono">{delivery.id}</dd>
        {/* Joins the delivery to the log lines of the request (or inbound message) that queued it. */}
        <dt>Request id</dt>
        <dd className="mono">{delivery.requestId ?? "—"}</dd>
      </dl>
      <pre className="code">{delivery.payload || "(payload purged after 30 days)"}</pre>
      {attemptRounds(delivery.attemptLog).map((r) => (
        <section key={r.round} aria-label={r.title}>
          <h3 className="h3">{r.title}</h3>
          <ol className={styles.attempts} aria-label={`Attempts of ${r.title}`}>
            {r.attempts.map((a) => (
              <li key={`${a.round}-${a.number}`}>
                <strong>
                  Attempt {a.number}: {a.status ?? a.errorClass}
                </strong>{" "}
                <span className="muted">
                  {new Date(a.startedAt).toLocaleString()} · {a.durationMs} ms
                </span>
                {a.errorMessage && <div className="error">{a.errorMessage}</div>}
                {a.responseExcerpt && <pre className="code">{a.responseExcerpt}</pre>}
                <details>
                  <summary>Request headers</summary>
                  <pre className="code">
                    {Object.entries(a.requestHeaders)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join("\n")}
                  </pre>
                </details>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}
