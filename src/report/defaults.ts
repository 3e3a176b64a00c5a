// Defaults the command line shows in --help; here, apart, so a command's option table can name
// them without loading the code that uses them.

/** The pass threshold of `diff` when neither --threshold nor the grader's pass_threshold gives one. */
export const DEFAULT_PASS_THRESHOLD = 0.5;
