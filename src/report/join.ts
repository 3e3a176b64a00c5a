// Joining two keyed collections (two runs, a run and its labels): each key is unique on its
// side; the result pairs the matches in the order of the left side's sort key, and lists what
// either side has alone.

export interface Joined {
  /** left[i] pairs with right[i]: indexes into each side. */
  left: Int32Array;
  right: Int32Array;
  /** Indexes of the rows with no partner. */
  leftOnly: number[];
  rightOnly: number[];
}

/**
 * Pair rows with equal keys. `order` sorts the pairs (by the left row's line, say), so results
 * that depend on order (a seeded bootstrap) do not depend on the order rows were written in.
 */
export function joinOnKeys(leftKeys: ReadonlyArray<string | number>, rightKeys: ReadonlyArray<string | number>, order: (leftIndex: number) => number): Joined {
  const rightByKey = new Map<string | number, number>();
  rightKeys.forEach((k, i) => rightByKey.set(k, i));
  const pairs: Array<[number, number]> = [];
  const leftOnly: number[] = [];
  const matched = new Uint8Array(rightKeys.length);
  leftKeys.forEach((k, i) => {
    const j = rightByKey.get(k);
    if (j === undefined) leftOnly.push(i);
    else {
      pairs.push([i, j]);
      matched[j] = 1;
    }
  });
  pairs.sort((p, q) => order(p[0]) - order(q[0]) || p[0] - q[0]);
  const rightOnly: number[] = [];
  matched.forEach((m, j) => {
    if (!m) rightOnly.push(j);
  });
  return { left: Int32Array.from(pairs, (p) => p[0]), right: Int32Array.from(pairs, (p) => p[1]), leftOnly: leftOnly.sort((x, y) => order(x) - order(y)), rightOnly };
}
