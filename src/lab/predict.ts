// Predict, then reveal: a widget can open on a question that the reader answers before the run
// goes on. The right answer is not written into the page: it is the widget's own state (one of its
// data attributes, such as `cpl`) at the reveal step of the emulator's run, so a question whose
// expected answer the emulator contradicts shows that contradiction instead of a wrong "✓".

export interface PredictChoice {
  /** The widget attribute's value this answer predicts (compared as text). */
  value: string;
  text: string;
  /** Said when the reader picks this answer: for a wrong one, the misconception behind it. */
  feedback: string;
}

export interface Predict {
  question: string;
  /** The widget attribute the answer is about (a key of the widget's `attrs`, as `cpl`). */
  attr: string;
  /** The step whose state answers the question. */
  reveal: number | 'end';
  /** The step the widget opens at while the question is open (default: the start). */
  at?: number;
  choices: PredictChoice[];
}

export interface Verdict {
  right: boolean;
  /** The reader's answer. */
  chosen: PredictChoice;
  /** The answer the run bears out, if any choice names what the run shows. */
  shown: PredictChoice | undefined;
  /** The attribute's value in the run. */
  actual: string;
}

export function judge(predict: Predict, chosenValue: string, actual: string): Verdict | undefined {
  const chosen = predict.choices.find((c) => c.value === chosenValue);
  if (!chosen) return undefined;
  const shown = predict.choices.find((c) => c.value === actual);
  return { right: chosen.value === actual, chosen, shown, actual };
}

/** The step the reveal goes to in a run of `length` steps. */
export const revealStep = (predict: Predict, length: number) => (predict.reveal === 'end' ? length : Math.min(predict.reveal, length));

/** A question an author wrote wrongly is refused at build time, in words. */
export function checkPredict(p: Predict): string | undefined {
  if (!p.question.trim()) return 'the question is empty';
  if (p.choices.length < 2) return 'a question needs at least two answers';
  const values = new Set(p.choices.map((c) => c.value));
  if (values.size !== p.choices.length) return 'two answers predict the same value';
  if (p.choices.some((c) => !c.feedback.trim())) return 'every answer needs feedback';
  if (typeof p.reveal === 'number' && (!Number.isInteger(p.reveal) || p.reveal < 0)) return 'the reveal step must be a whole number';
  if (p.at !== undefined && (!Number.isInteger(p.at) || p.at < 0)) return 'the opening step must be a whole number';
  if (p.at !== undefined && typeof p.reveal === 'number' && p.at >= p.reveal) return 'the question must open before its reveal';
  return undefined;
}
