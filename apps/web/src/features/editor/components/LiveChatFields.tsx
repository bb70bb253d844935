import type { FieldErrors, UseFormReturn } from "react-hook-form";
import { useTeams } from "../../../api/teams";
import { FieldError } from "../../../components/FieldError";
import type { EntryForm } from "../model/entry-form";
import { WEEKDAYS } from "../model/live-chat-form";
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
      {hoursOn && (
        <fieldset className={styles.hours}>
          <legend className="visually-hidden">Opening hours</legend>
          <fieldset className={styles.days}>
            <legend>Open on</legend>
            {WEEKDAYS.map((day, i) => (
              <label key={day} className="checkbox">
                <input type="checkbox" value={String(i)} {...form.register("liveChat.hours.days")} />
                <span>{day}</span>
              </label>
            ))}
            <FieldError id="lc-days-error" message={at(errors, "liveChat.hours.days")} />
          </fieldset>
          <div className="field">
            <label htmlFor="lc-from">From</label>
            <input type="time" {...field("lc-from", "liveChat.hours.from")} {...form.register("liveChat.hours.from")} />
          </div>
          <div className="field">
            <label htmlFor="lc-to">To</label>
            <input type="time" {...field("lc-to", "liveChat.hours.to")} {...form.register("liveChat.hours.to")} />
            <FieldError id="lc-to-error" message={at(errors, "liveChat.hours.to")} />
          </div>
          <div className="field">
            <label htmlFor="lc-zone">Time zone</label>
            <input {...field("lc-zone", "liveChat.hours.timeZone")} {...form.register("liveChat.hours.timeZone")} />
            <FieldError id="lc-zone-error" message={at(errors, "liveChat.hours.timeZone")} />
          </div>
        </fieldset>
      )}
    </fieldset>
  );
}
