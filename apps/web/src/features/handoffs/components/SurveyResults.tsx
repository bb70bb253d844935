import { ApiError } from "../../../lib/api-client";
import { type SurveyResultsData, surveyResponsesCsvUrl, useSurveyResults } from "../api/survey-results";

type QuestionResult = SurveyResultsData["questions"][number];

/** One question's answers: counts and percentages of each choice, the numbers' summary, or the texts. */
function QuestionAnswers({ question }: { question: QuestionResult }) {
  const label = `${question.key}: ${question.text}`;
  if (question.type === "free_text")
    return question.texts.length ? (
      <ul aria-label={`Answers to ${label}`}>
        {question.texts.map((text, i) => (
          // Answers repeat and have no id of their own: their place is their key.
          <li key={i}>{text}</li>
        ))}
      </ul>
    ) : (
      <p className="muted">No answer yet.</p>
    );
  if (question.type === "number")
    return (
      <dl aria-label={`Answers to ${label}`}>
        <dt>Average</dt>
        <dd>{question.average ?? "—"}</dd>
        <dt>Lowest</dt>
        <dd>{question.min ?? "—"}</dd>
        <dt>Highest</dt>
        <dd>{question.max ?? "—"}</dd>
      </dl>
    );
  return (
    <table aria-label={`Answers to ${label}`}>
      <thead>
        <tr>
          <th scope="col">Answer</th>
          <th scope="col">Count</th>
          <th scope="col">Percent</th>
        </tr>
      </thead>
      <tbody>
        {question.counts.map((c) => (
          <tr key={c.value}>
            <td>{c.value}</td>
            <td>{c.count}</td>
            <td>{c.percent}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many answered (over the chat and on the web), each question's answers, and the responses as CSV. */
export function SurveyResults({ campaignId, web }: { campaignId: number; web: boolean }) {
  const results = useSurveyResults(campaignId);
  return (
    <section className="card" aria-labelledby="survey-results-title">
      <h2 id="survey-results-title">Results</h2>
      {results.isError && (
        <p role="alert" className="error">
          {results.error instanceof ApiError ? results.error.message : "The results could not be loaded."}
        </p>
      )}
      {results.data && (
        <>
          <dl aria-label="Responses">
            <dt>Responses</dt>
            <dd>{results.data.responses}</dd>
            <dt>In progress</dt>
            <dd>{results.data.inProgress}</dd>
            {web && (
              <>
                <dt>Links sent</dt>
                <dd>{results.data.linksSent}</dd>
                <dt>Answered on the web</dt>
                <dd>{results.data.bySource.web}</dd>
              </>
            )}
          </dl>
          {results.data.questions.map((q) => (
            <section key={q.key} aria-label={`Question ${q.key}`}>
              <h3>{q.text}</h3>
              <p className="muted">
                {q.key} · {q.answered} answered
              </p>
              <QuestionAnswers question={q} />
            </section>
          ))}
        </>
      )}
      <a className="button" href={surveyResponsesCsvUrl(campaignId)} download>
        Download responses (CSV)
      </a>
    </section>
  );
}
