import type { LucideIcon } from "lucide-react";

/** An icon drawn once in the page's IconSprite and shown by reference wherever it repeats. */
export interface SpriteIcon {
  sprite: string;
}

/**
 * Icons drawn once as <symbol>s for a page that repeats them hundreds of times (the editor's rows: five icons a row, 500
 * rows). Each use is then an <svg> and a <use>, without an icon component to render or its paths to build.
 */
export function IconSprite({ icons }: { icons: Readonly<Record<string, LucideIcon>> }) {
  return (
    <svg aria-hidden="true" width="0" height="0" style={{ position: "absolute" }}>
      {Object.entries(icons).map(([id, Icon]) => (
        <symbol key={id} id={id} viewBox="0 0 24 24">
          <Icon />
        </symbol>
      ))}
    </svg>
  );
}

/** One icon of the page's sprite. */
export function UseIcon({ icon, size }: { icon: SpriteIcon; size: number }) {
  return (
    <svg width={size} height={size} aria-hidden="true">
      <use href={`#${icon.sprite}`} />
    </svg>
  );
}
