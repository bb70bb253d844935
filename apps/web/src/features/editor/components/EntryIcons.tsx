import { IconSprite } from "../../../components/IconSprite";
import { entryIconDrawings } from "../model/entry-icons";

/** The entry rows' icons, drawn once for the whole editor. */
export function EntryIcons() {
  return <IconSprite icons={entryIconDrawings} />;
}
