// What the bench scripts share: the median of repeated measurements and CPU seconds read from
// /proc (user + system time of every thread, which moves little with the machine's load).

import { readFileSync } from "node:fs";

/** The median (the mean of the two middle values for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const CLK_TCK = 100; // USER_HZ, 100 on Linux

/** The fields of /proc/PID/stat after the command name (whose parentheses may hold spaces). */
function statFields(pid) {
  return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
}

/** utime + stime of a running process, all its threads, in seconds. */
export function processCpuSeconds(pid) {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** cutime + cstime of this process: the CPU seconds of its waited-for children. */
export function childrenCpuSeconds() {
  const fields = statFields("self");
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}
