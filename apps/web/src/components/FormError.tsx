/** A form's own error (not a field's), announced when it appears. */
export function FormError({ message, className }: { message?: string; className?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className={className ? `error ${className}` : "error"}>
      {message}
    </p>
  );
}
