import { type FieldErrors, type UseFormReturn, useFieldArray } from "react-hook-form";
import { useTeams } from "../../../api/teams";
import { EmptyRow } from "../../../components/EmptyRow";
import { FieldError } from "../../../components/FieldError";
import { TableHead } from "../../../components/TableHead";
import type { EntryForm } from "../model/entry-form";
import { OPENING_PERIODS_MAX, WEEKDAYS } from "../model/live-chat-form";
import styles from "./editor.module.css";

const at = (errors: FieldErrors<EntryForm>, path: string) => {
  let v: unknown = errors;
  for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
  return (v as { message?: string } | undefined)?.message;
};

/** A Live Chat entry's settings: what the user is told, which team's inbox gets it, and what a timeout does. */
export function LiveChatFields({
  form,
  nodes,
}: {
  form: UseFormReturn<EntryForm>;
  nodes: readonly { value: string; label: string }[];
}) {
  const teams = useTeams();
  const { errors } = form.formState;
  const action = form.watch("liveChat.onTimeout.action");
  const hoursOn = form.watch("liveChat.hours.enabled");
  const field = (id: string, path: string) => ({
    id,
    "aria-invalid": !!at(errors, path),
    "aria-describedby": `${id}-error`,
  });
  return (
    <fieldset className={styles.liveChat}>
      <legend>Live Chat</legend>
      <div className="field">
        <label htmlFor="lc-handover">Hand-over message</label>
        <textarea
          rows={2}
          {...field("lc-handover", "liveChat.handoverMessage")}
          {...form.register("liveChat.handoverMessage")}
        />
        <FieldError id="lc-handover-error" message={at(errors, "liveChat.handoverMessage")} />
      </div>
      <div className="field">
        <label htmlFor="lc-team">Team</label>
        <select {...field("lc-team", "liveChat.teamId")} {...form.register("liveChat.teamId")}>
          <option value="">Any agent</option>
          {teams.data?.items.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <FieldError id="lc-team-error" message={at(errors, "liveChat.teamId")} />
      </div>
      <div className="field">
        <label htmlFor="lc-timeout">Timeout (minutes)</label>
        <input
          type="number"
          min={1}
          inputMode="numeric"
          {...field("lc-timeout", "liveChat.timeoutMinutes")}
          {...form.register("liveChat.timeoutMinutes")}
        />
        <FieldError id="lc-timeout-error" message={at(errors, "liveChat.timeoutMinutes")} />
      </div>
      <div className="field">
        <label htmlFor="lc-on-timeout">On timeout</label>
        <select
          {...field("lc-on-timeout", "liveChat.onTimeout.action")}
          {...form.register("liveChat.onTimeout.action")}
        >
          <option value="end">End the conversation</option>
          <option value="bot">Back to the bot</option>
        </select>
      </div>
      {action === "bot" && (
        <div className="field">
          <label htmlFor="lc-node">Back to the bot at</label>
          <select {...field("lc-node", "liveChat.onTimeout.nodeId")} {...form.register("liveChat.onTimeout.nodeId")}>
            <option value="">Choose…</option>
            {nodes.map((n) => (
              <option key={n.value} value={n.value}>
                {n.label}
              </option>
            ))}
          </select>
          <FieldError id="lc-node-error" message={at(errors, "liveChat.onTimeout.nodeId")} />
        </div>
      )}
      <div className="field">
        <label htmlFor="lc-timeout-message">Timeout message</label>
        <textarea
          rows={2}
          {...field("lc-timeout-message", "liveChat.onTimeout.message")}
          {...form.register("liveChat.onTimeout.message")}
        />
        <FieldError id="lc-timeout-message-error" message={at(errors, "liveChat.onTimeout.message")} />
      </div>
      <label className="field checkbox">
        <input type="checkbox" {...form.register("liveChat.hours.enabled")} />
        <span>Opening hours (outside them, the timeout applies at once)</span>
      </label>
      {hoursOn && <OpeningHours form={form} />}
    </fieldset>
  );
}

/** Opening hours: one row per period (day, from, to), in one time zone. */
function OpeningHours({ form }: { form: UseFormReturn<EntryForm> }) {
  const { errors } = form.formState;
  const periods = useFieldArray({ control: form.control, name: "liveChat.hours.periods" });
  const invalid = (id: string, path: string) => ({
    id,
    "aria-invalid": !!at(errors, path),
    "aria-describedby": `${id}-error`,
  });
  return (
    <fieldset className={styles.hours}>
      <legend>Opening hours</legend>
      <div className="field">
        <label htmlFor="lc-zone">Time zone</label>
        <input {...invalid("lc-zone", "liveChat.hours.timeZone")} {...form.register("liveChat.hours.timeZone")} />
        <FieldError id="lc-zone-error" message={at(errors, "liveChat.hours.timeZone")} />
      </div>
      <table className="table" aria-label="Opening periods">
        <TableHead columns={["Day", "From", "To", "Actions"]} />
        <tbody>
          {periods.fields.map((row, i) => {
            const base = `liveChat.hours.periods.${i}` as const;
            const n = i + 1;
            return (
              <tr key={row.id}>
                <td>
                  <select aria-label={`Day of period ${n}`} {...form.register(`${base}.day`)}>
                    {WEEKDAYS.map((day, d) => (
                      <option key={day} value={String(d)}>
                        {day}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input type="time" aria-label={`From, period ${n}`} {...form.register(`${base}.from`)} />
                  <FieldError id={`lc-period-${i}-from-error`} message={at(errors, `${base}.from`)} />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`To, period ${n}`}
                    {...invalid(`lc-period-${i}-to`, `${base}.to`)}
                    {...form.register(`${base}.to`)}
                  />
                  <FieldError id={`lc-period-${i}-to-error`} message={at(errors, `${base}.to`)} />
                </td>
                <td className="actions">
                  <button type="button" className="button small" onClick={() => periods.remove(i)}>
                    Remove period {n}
                  </button>
                </td>
              </tr>
            );
          })}
          {periods.fields.length === 0 && <EmptyRow columns={4}>No opening period: add one.</EmptyRow>}
        </tbody>
      </table>
      <FieldError id="lc-periods-error" message={at(errors, "liveChat.hours.periods")} />
      <div>
        <button
          type="button"
          className="button"
          disabled={periods.fields.length >= OPENING_PERIODS_MAX}
          onClick={() => {
            const last = periods.fields[periods.fields.length - 1];
            // The next day, same hours: filling a week is a few clicks.
            periods.append({
              day: last ? String((Number(last.day) + 1) % 7) : "1",
              from: last?.from ?? "09:00",
              to: last?.to ?? "18:00",
            });
          }}
        >
          Add opening period
        </button>
      </div>
    </fieldset>
  );
}
