// The JSON values of a JSON Lines file (a run, labels), streamed: blank lines are skipped, and a
// line that is not JSON is a FileLineError naming FILE:LINE — except, when the caller allows it,
// the file's last line cut off mid-write (a run killed while writing it).

import { readLineBatches, type LineSource } from "../util/read-lines.js";
import { FileLineError } from "./file-error.js";

export async function forEachJsonLine(source: LineSource, name: string, visit: (value: unknown, line: number) => void, onTornLastLine?: () => void): Promise<void> {
  for await (const batch of readLineBatches(source)) {
    const { lines, firstLine } = batch;
    for (let k = 0; k < lines.length; k++) {
      const text = lines[k]!;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        if (onTornLastLine && batch.unterminatedLast && k === lines.length - 1) {
          onTornLastLine();
          continue;
        }
        throw new FileLineError(name, firstLine + k, `not JSON (${(err as Error).message})`);
      }
      visit(value, firstLine + k);
    }
  }
}
