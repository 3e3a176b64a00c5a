// When a reward "passes" and no threshold says otherwise: the one default every verdict uses
// (eval criteria without pass_threshold, diff flips, report pass rates), stated once (README
// "Decided behaviours").

/** A reward passes when it is at least this, unless a grader's pass_threshold or a flag says otherwise. */
export const DEFAULT_PASS_THRESHOLD = 0.5;
