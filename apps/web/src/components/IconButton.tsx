import type { LucideIcon } from "lucide-react";
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { classNames } from "../lib/class-names";
import styles from "./IconButton.module.css";
import { type SpriteIcon, UseIcon } from "./IconSprite";

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "aria-label" | "children"> {
  /** What pressing it does, as a screen reader says it (the icon alone says nothing). */
  label: string;
  /** A lucide icon, or one drawn once in the page's IconSprite (for controls repeated hundreds of times). */
  icon: LucideIcon | SpriteIcon;
  /** A smaller button, inside a chip. */
  small?: boolean;
  iconSize?: number;
  /** Text for screen readers only, beside the icon. */
  children?: ReactNode;
}

/** A button that shows only an icon: its name is `label`. */
export function IconButton({
  label,
  icon: Icon,
  small = false,
  iconSize = small ? 12 : 16,
  type = "button",
  className,
  children,
  ...button
}: IconButtonProps) {
  return (
    <button
      type={type}
      className={classNames(styles.iconButton, small && styles.small, className)}
      aria-label={label}
      {...button}
    >
      {"sprite" in Icon ? <UseIcon icon={Icon} size={iconSize} /> : <Icon size={iconSize} aria-hidden />}
      {children}
    </button>
  );
}
