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
  // partner[i]: the right row of left row i, or -1.
  const partner = new Int32Array(leftKeys.length).fill(-1);
  const matched = new Uint8Array(rightKeys.length);
  const leftOnly: number[] = [];
  let pairs = 0;
  leftKeys.forEach((k, i) => {
    const j = rightByKey.get(k);
    if (j === undefined) leftOnly.push(i);
    else {
      partner[i] = j;
      matched[j] = 1;
      pairs++;
    }
  });
  const left = new Int32Array(pairs);
  let p = 0;
  for (let i = 0; i < partner.length; i++) if (partner[i]! >= 0) left[p++] = i;
  left.sort((x, y) => order(x) - order(y) || x - y);
  const right = Int32Array.from(left, (i) => partner[i]!);
  const rightOnly: number[] = [];
  matched.forEach((m, j) => {
    if (!m) rightOnly.push(j);
  });
  return { left, right, leftOnly: leftOnly.sort((x, y) => order(x) - order(y) || x - y), rightOnly };
}
