import { X } from "lucide-react";
import { useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { IconButton } from "../components/IconButton";
import { classNames } from "../lib/class-names";
import { useInnermostDialog } from "../lib/open-dialogs";
import { currentToasts, dismissToast, subscribeToToasts } from "../lib/toasts";
import styles from "./Toaster.module.css";

/** The toasts of the whole app, in one live region; inside the open modal dialog, if any, or it would hide them. */
export function Toaster() {
  const list = useSyncExternalStore(subscribeToToasts, currentToasts);
  const dialog = useInnermostDialog();
  const region = (
    <section className={styles.toasts} aria-label="Notifications" aria-live="polite">
      {list.map((t) => (
        <div
          key={t.id}
          className={classNames(styles.toast, t.kind === "error" ? styles.error : styles.success)}
          role={t.kind === "error" ? "alert" : "status"}
        >
          <span>{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                t.action?.onClick();
                dismissToast(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <IconButton label="Dismiss notification" icon={X} onClick={() => dismissToast(t.id)} />
        </div>
      ))}
    </section>
  );
  return dialog ? createPortal(region, dialog) : region;
}
