import { ApiError } from "../../../lib/api-client";
import { raffleEntriesCsvUrl, useRaffleResults } from "../api/raffle-results";

/** How many entered and won, each prize's awards, and the entries as CSV. */
export function RaffleResults({ campaignId }: { campaignId: number }) {
  const results = useRaffleResults(campaignId);
  return (
    <section className="card" aria-labelledby="raffle-results-title">
      <h2 id="raffle-results-title">Results</h2>
      {results.isError && (
        <p role="alert" className="error">
          {results.error instanceof ApiError ? results.error.message : "The results could not be loaded."}
        </p>
      )}
      {results.data && (
        <>
          <dl>
            <dt>Participants</dt>
            <dd>{results.data.participants}</dd>
            <dt>Winners</dt>
            <dd>{results.data.winners}</dd>
            <dt>Prizes left</dt>
            <dd>{results.data.prizesLeft}</dd>
          </dl>
          {results.data.over && <p className="muted">This raffle is over.</p>}
          <table aria-label="Prizes awarded">
            <thead>
              <tr>
                <th scope="col">Prize</th>
                <th scope="col">Quantity</th>
                <th scope="col">Awarded</th>
              </tr>
            </thead>
            <tbody>
              {results.data.prizes.map((p) => (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td>{p.quantity}</td>
                  <td>{p.awarded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <a className="button" href={raffleEntriesCsvUrl(campaignId)} download>
        Download participants (CSV)
      </a>
    </section>
  );
}
