import { zodResolver } from "@hookform/resolvers/zod";
import { type HandoffSettings, raffleSettingsInput } from "@switchboard/contracts/handoffs";
import type { Channel } from "@switchboard/domain/campaign";
import { type Resolver, useFieldArray, useForm } from "react-hook-form";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useSaveHandoffSettings } from "../api/handoff-settings";
import { rafflePreview } from "../model/preview";
import { type RaffleFormValues, raffleErrorFields, raffleFormValues, raffleInput } from "../model/raffle-values";
import { HandoffPreview } from "./HandoffPreview";

type RaffleSettings = Extract<HandoffSettings, { type: "raffle_giveaway" }>;

// The shared contract checks what would be saved: the chosen draw's number only.
const contract = zodResolver(raffleSettingsInput);
const resolver: Resolver<RaffleFormValues> = async (values, context, options) => {
  const result = await (contract as unknown as Resolver<RaffleFormValues>)(
    raffleInput(values) as RaffleFormValues,
    context,
    options,
  );
  return Object.keys(result.errors).length ? result : { values, errors: {} };
};

const messageFields = [
  { key: "win", label: "Win message", hint: "{{prize}} is replaced by the prize's name." },
  { key: "lose", label: "Loss message" },
  { key: "alreadyEntered", label: "Already entered message", hint: "A phone number enters once per raffle." },
  { key: "over", label: "Raffle over message", hint: "Sent when the raffle has ended or no prize is left." },
] as const;

/** A Raffle Giveaway's prizes, how winners are drawn and its messages, saved as one document. */
export function RaffleForm({
  campaignId,
  settings,
  channel = "sms",
}: {
  campaignId: number;
  settings: RaffleSettings;
  channel?: Channel;
}) {
  const save = useSaveHandoffSettings(campaignId);
  const form = useForm<RaffleFormValues>({ resolver, defaultValues: raffleFormValues(settings) });
  const prizes = useFieldArray({ control: form.control, name: "prizes" });
  const { errors } = form.formState;
  const mode = form.watch("draw.mode");
  const preview = rafflePreview(form.watch());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync(raffleInput(values));
      showToast({ kind: "success", message: "Raffle saved." });
    } catch (error) {
      if (
        !applyServerErrors(error, form.setError, raffleErrorFields(values.prizes.length)) &&
        error instanceof ApiError
      )
        form.setError("root", { message: error.message });
    }
  });

  return (
    <form className="card form-grid" onSubmit={onSubmit} aria-label="Raffle Giveaway settings" noValidate>
      <fieldset className="span-2">
        <legend>Prizes</legend>
        {prizes.fields.map((field, i) => {
          // Known by its id (a rename keeps its awards); a prize added here has none yet.
          const id = form.getValues(`prizes.${i}.id`);
          const prize = id ? settings.prizes.find((p) => p.id === id) : undefined;
          return (
            <fieldset key={field.id} className="row plain" aria-label={`Prize ${i + 1}`}>
              <TextField
                id={`prize-${i}-name`}
                label={`Prize ${i + 1} name`}
                registration={form.register(`prizes.${i}.name`)}
                error={errors.prizes?.[i]?.name?.message}
              />
              <TextField
                id={`prize-${i}-quantity`}
                label={`Prize ${i + 1} quantity`}
                type="number"
                min={1}
                registration={form.register(`prizes.${i}.quantity`, { valueAsNumber: true })}
                error={errors.prizes?.[i]?.quantity?.message}
                hint={prize ? `${prize.awarded} awarded, ${prize.left} left` : undefined}
              />
              <button
                type="button"
                className="button"
                onClick={() => prizes.remove(i)}
                aria-label={`Remove prize ${i + 1}`}
              >
                Remove
              </button>
            </fieldset>
          );
        })}
        <button type="button" className="button" onClick={() => prizes.append({ name: "", quantity: 1 })}>
          Add prize
        </button>
        <FieldError id="raffle-prizes-error" message={errors.prizes?.message ?? errors.prizes?.root?.message} />
      </fieldset>
      <fieldset className="span-2">
        <legend>How winners are drawn</legend>
        <label className="field checkbox">
          <input type="radio" value="instant" {...form.register("draw.mode")} />
          <span>Instant win, with a probability</span>
        </label>
        <label className="field checkbox">
          <input type="radio" value="every_nth" {...form.register("draw.mode")} />
          <span>Every Nth participant wins</span>
        </label>
        {mode === "instant" ? (
          <TextField
            id="raffle-win-probability"
            label="Win probability (0 to 1)"
            type="number"
            step="any"
            min={0}
            max={1}
            registration={form.register("draw.winProbability", { valueAsNumber: true })}
            error={errors.draw?.winProbability?.message ?? errors.draw?.message}
          />
        ) : (
          <TextField
            id="raffle-every"
            label="Every Nth participant: N"
            type="number"
            min={1}
            registration={form.register("draw.every", { valueAsNumber: true })}
            error={errors.draw?.every?.message ?? errors.draw?.message}
          />
        )}
      </fieldset>
      {messageFields.map((m) => (
        <TextField
          key={m.key}
          id={`raffle-message-${m.key}`}
          label={m.label}
          hint={"hint" in m ? m.hint : undefined}
          registration={form.register(`messages.${m.key}`)}
          error={errors.messages?.[m.key]?.message}
        />
      ))}
      <HandoffPreview channel={channel} messages={preview} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save raffle
        </button>
      </div>
      <FormError message={errors.root?.message} className="span-2" />
    </form>
  );
}
