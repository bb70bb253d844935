/** The page ids of a node's card and an entry's row: what the outline and the problem panel scroll to. */
export const nodeElementId = (nodeId: string) => `node-${nodeId}`;
export const entryElementId = (entryId: string) => `entry-${entryId}`;
