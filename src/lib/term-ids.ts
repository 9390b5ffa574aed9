// Unique ids for Term tooltips within a build. Deterministic: the count follows render order.
let count = 0;
export const nextTermId = (term: string) => `term-${term}-${++count}`;
