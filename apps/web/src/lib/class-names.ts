/** The class attribute of several classes, some of them conditional: `classNames(styles.row, selected && styles.selected)`. */
export function classNames(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}
