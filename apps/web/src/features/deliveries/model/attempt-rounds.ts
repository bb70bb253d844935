/**
 * Attempts (in time order, as the API gives them) grouped by round: the first delivery's, then each Resend's, so a
 * resend's "attempt 1" is never read as the first delivery's.
 */
export function attemptRounds<A extends { round: number }>(attempts: readonly A[]) {
  const rounds: { round: number; title: string; attempts: A[] }[] = [];
  for (const a of attempts) {
    let last = rounds.at(-1);
    if (!last || last.round !== a.round) {
      last = { round: a.round, title: a.round === 1 ? "First delivery" : `Resend ${a.round - 1}`, attempts: [] };
      rounds.push(last);
    }
    last.attempts.push(a);
  }
  return rounds;
}
