/**
 * The message beside a field, named by the field's aria-describedby. An error is announced when it appears; a
 * `polite` one (a limit reached while typing) waits for the reader to finish.
 */
export function FieldError({ id, message, polite = false }: { id: string; message?: string; polite?: boolean }) {
  return (
    <span id={id} className="field-error" role={message ? (polite ? "status" : "alert") : undefined}>
      {message}
    </span>
  );
}
