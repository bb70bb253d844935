import type { InputHTMLAttributes } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { FieldError } from "./FieldError";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  /** A line under the field, read with it by screen readers. */
  hint?: string;
}

/** A labelled input of a react-hook-form form, its error beside it and announced. */
export function TextField({ id, label, registration, error, hint, ...input }: TextFieldProps) {
  const described = [`${id}-error`, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} {...registration} aria-invalid={!!error} aria-describedby={described} />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
