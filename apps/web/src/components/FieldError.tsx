/** The message beside a field; announced when it appears. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  return (
    <span id={id} className="field-error" role={message ? "alert" : undefined}>
      {message}
    </span>
  );
}
