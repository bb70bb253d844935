import { zodResolver } from "@hookform/resolvers/zod";
import { surveySettingsInput, webSurveySettingsInput } from "@switchboard/contracts/handoffs";
import type { Channel } from "@switchboard/domain/campaign";
import { questionTypes } from "@switchboard/domain/handoff/survey";
import { ArrowDown, ArrowUp, Trash2 } from "lucide-react";
import { type FieldErrors, type Resolver, useFieldArray, useForm } from "react-hook-form";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { IconButton } from "../../../components/IconButton";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useSaveHandoffSettings } from "../api/handoff-settings";
import { previewQuestions, surveyPreview, webPollLinkPreview } from "../model/preview";
import {
  blankQuestion,
  type QuestionFormValues,
  questionTypeLabels,
  type SurveyFormValues,
  type SurveySettings,
  surveyErrorFields,
  surveyFormValues,
  surveyInput,
} from "../model/survey-values";
import { HandoffPreview } from "./HandoffPreview";

// The shared contract checks what would be saved: each question with its own type's fields only.
const contracts = {
  polls_surveys: zodResolver(surveySettingsInput),
  web_polls_surveys: zodResolver(webSurveySettingsInput),
};
const resolverFor =
  (webhook: SurveySettings["webhook"]): Resolver<SurveyFormValues> =>
  async (values, context, options) => {
    const contract = contracts[values.type] as unknown as Resolver<SurveyFormValues>;
    const result = await contract(surveyInput(values, webhook) as unknown as SurveyFormValues, context, options);
    return Object.keys(result.errors).length ? result : { values, errors: {} };
  };

/** A question's choices error: the list's own, or the first choice the contract refused. */
function choicesError(errors: FieldErrors<QuestionFormValues> | undefined): string | undefined {
  const choices = errors?.choices as unknown as
    | { message?: string; root?: { message?: string }; [i: number]: { message?: string } | undefined }
    | undefined;
  if (!choices) return undefined;
  if (choices.message) return choices.message;
  if (choices.root?.message) return choices.root.message;
  for (const [i, choice] of Object.entries(choices)) {
    if (/^\d+$/.test(i) && typeof choice === "object" && choice?.message) return choice.message;
  }
  return undefined;
}

/** A Polls & Surveys (or Web Polls & Surveys) campaign's questions, in order, and its messages, saved as one document. */
export function SurveyForm({
  campaignId,
  settings,
  channel = "sms",
}: {
  campaignId: number;
  settings: SurveySettings;
  channel?: Channel;
}) {
  const save = useSaveHandoffSettings(campaignId);
  const form = useForm<SurveyFormValues>({
    resolver: resolverFor(settings.webhook),
    defaultValues: surveyFormValues(settings),
  });
  const questions = useFieldArray({ control: form.control, name: "questions" });
  const { errors } = form.formState;
  const types = form.watch("questions").map((q) => q.type);
  const web = settings.type === "web_polls_surveys";
  const noun = web ? "Web poll" : "Survey";
  const watched = form.watch();
  const preview = web
    ? {
        messages: [webPollLinkPreview(watched, window.location.origin)],
        page: { title: watched.title, questions: previewQuestions(watched) },
      }
    : { messages: surveyPreview(watched, channel) };

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync(surveyInput(values, settings.webhook));
      showToast({ kind: "success", message: `${noun} saved.` });
    } catch (error) {
      if (
        !applyServerErrors(error, form.setError, surveyErrorFields(values.questions.length)) &&
        error instanceof ApiError
      )
        form.setError("root", { message: error.message });
    }
  });

  return (
    <form
      className="card form-grid"
      onSubmit={onSubmit}
      aria-label={web ? "Web Polls & Surveys settings" : "Polls & Surveys settings"}
      noValidate
    >
      {web && (
        <>
          <TextField
            id="survey-title"
            label="Page title"
            registration={form.register("title")}
            error={errors.title?.message}
          />
          <TextField
            id="survey-link-message"
            label="Link message"
            hint="The chat reply that carries the personal link: {{link}} is replaced by it."
            registration={form.register("linkMessage")}
            error={errors.linkMessage?.message}
          />
          <TextField
            id="survey-link-valid-hours"
            label="Link valid for (hours)"
            type="number"
            min={1}
            registration={form.register("linkValidHours", { valueAsNumber: true })}
            error={errors.linkValidHours?.message}
          />
        </>
      )}
      <fieldset className="span-2">
        <legend>Questions</legend>
        {questions.fields.map((field, i) => {
          const n = i + 1;
          const type = types[i];
          const qErrors = errors.questions?.[i];
          return (
            <fieldset key={field.id} className="card plain" aria-label={`Question ${n}`}>
              <div className="row">
                <TextField
                  id={`question-${i}-key`}
                  label={`Question ${n} key`}
                  hint="The answer's name in exports and webhooks."
                  registration={form.register(`questions.${i}.key`)}
                  error={qErrors?.key?.message}
                />
                <div className="field">
                  <label htmlFor={`question-${i}-type`}>{`Question ${n} type`}</label>
                  <select id={`question-${i}-type`} {...form.register(`questions.${i}.type`)}>
                    {questionTypes.map((t) => (
                      <option key={t} value={t}>
                        {questionTypeLabels[t]}
                      </option>
                    ))}
                  </select>
                </div>
                <IconButton
                  label={`Move question ${n} up`}
                  icon={ArrowUp}
                  disabled={i === 0}
                  onClick={() => questions.move(i, i - 1)}
                />
                <IconButton
                  label={`Move question ${n} down`}
                  icon={ArrowDown}
                  disabled={i === questions.fields.length - 1}
                  onClick={() => questions.move(i, i + 1)}
                />
                <IconButton label={`Remove question ${n}`} icon={Trash2} onClick={() => questions.remove(i)} />
              </div>
              <TextField
                id={`question-${i}-text`}
                label={`Question ${n} text`}
                registration={form.register(`questions.${i}.text`)}
                error={qErrors?.text?.message}
              />
              {(type === "single_choice" || type === "multiple_choice") && (
                <div className="field">
                  <label htmlFor={`question-${i}-choices`}>{`Question ${n} choices (one per line)`}</label>
                  <textarea
                    id={`question-${i}-choices`}
                    rows={4}
                    {...form.register(`questions.${i}.choices`)}
                    aria-invalid={!!choicesError(qErrors)}
                    aria-describedby={`question-${i}-choices-error`}
                  />
                  <FieldError id={`question-${i}-choices-error`} message={choicesError(qErrors)} />
                </div>
              )}
              {type === "free_text" && (
                <TextField
                  id={`question-${i}-max-length`}
                  label={`Question ${n} longest answer (characters)`}
                  type="number"
                  min={1}
                  registration={form.register(`questions.${i}.maxLength`, { valueAsNumber: true })}
                  error={qErrors?.maxLength?.message}
                />
              )}
              {type === "number" && (
                <div className="row">
                  <TextField
                    id={`question-${i}-min`}
                    label={`Question ${n} lowest number`}
                    type="number"
                    step="any"
                    registration={form.register(`questions.${i}.min`, {
                      setValueAs: (v) => (v === "" || v === null ? null : Number(v)),
                    })}
                    error={qErrors?.min?.message}
                  />
                  <TextField
                    id={`question-${i}-max`}
                    label={`Question ${n} highest number`}
                    type="number"
                    step="any"
                    registration={form.register(`questions.${i}.max`, {
                      setValueAs: (v) => (v === "" || v === null ? null : Number(v)),
                    })}
                    error={qErrors?.max?.message}
                  />
                  <label className="field checkbox">
                    <input type="checkbox" {...form.register(`questions.${i}.integer`)} />
                    <span>{`Question ${n}: whole numbers only`}</span>
                  </label>
                </div>
              )}
              {type === "rating" && <p className="muted">Answered with a rating from 1 to 5.</p>}
              <TextField
                id={`question-${i}-reprompt`}
                label={`Question ${n} reprompt`}
                hint="Sent before the question again after a wrong answer; empty for the default."
                registration={form.register(`questions.${i}.reprompt`)}
                error={qErrors?.reprompt?.message}
              />
            </fieldset>
          );
        })}
        <button
          type="button"
          className="button"
          onClick={() => questions.append(blankQuestion(questions.fields.length + 1))}
        >
          Add question
        </button>
        <FieldError
          id="survey-questions-error"
          message={errors.questions?.message ?? errors.questions?.root?.message}
        />
      </fieldset>
      <TextField
        id="survey-intro"
        label="Introduction"
        hint="Sent before the first question; may be empty."
        registration={form.register("messages.intro")}
        error={errors.messages?.intro?.message}
      />
      <TextField
        id="survey-closing"
        label="Closing message"
        registration={form.register("messages.closing")}
        error={errors.messages?.closing?.message}
      />
      <TextField
        id="survey-already-answered"
        label="Already answered message"
        registration={form.register("messages.alreadyAnswered")}
        error={errors.messages?.alreadyAnswered?.message}
      />
      <label className="field checkbox">
        <input type="checkbox" {...form.register("allowMultipleResponses")} />
        <span>Allow more than one response per phone number</span>
      </label>
      <HandoffPreview channel={channel} {...preview} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {`Save ${noun.toLowerCase()}`}
        </button>
      </div>
      <FormError message={errors.root?.message} className="span-2" />
    </form>
  );
}
