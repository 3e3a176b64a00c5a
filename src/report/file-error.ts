/** A line of an input file (a run, labels) that is not what the command reads: FILE:LINE: why. */
export class FileLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "FileLineError";
  }
}
