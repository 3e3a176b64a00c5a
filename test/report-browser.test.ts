// The report and diff pages in a real browser: Debian's chromium, driven by puppeteer-core (one
// launch for the file). A page loads with no console error and no request but the file itself,
// the histogram has one bar per non-empty bin, the flag filter shows exactly the rows with the
// flag, rows sort and open their details, the summary and plots are there with JavaScript off,
// and a screenshot is written. Needs `npm run build` (the CLI runs from dist/) and chromium
// (.ci/run installs it).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeLines } from "./helpers/cli.js";
import { mulberry32 } from "./helpers/random.js";

const CHROMIUM = "/usr/bin/chromium";
const N = 60;
const FLAGGED = { sample_parse_error: [5, 17], python_grader_runtime_error: [8, 30, 44] } as const;

let dir: string;
let browser: Browser;
let rewards: number[];

/** A full row as `graderkit run` writes it, or a compact one; the flag raised where FLAGGED says. */
function runRow(line: number, reward: number, compact: boolean): object {
  const flag = (Object.entries(FLAGGED) as Array<[string, readonly number[]]>).find(([, lines]) => lines.includes(line))?.[0];
  const error = flag ? { flag, message: `${flag} on line ${line}` } : undefined;
  if (compact) return { line, id: `r${line}`, reward, ...(flag ? { errors: { [flag]: true }, error } : {}) };
  const errors: Record<string, unknown> = {
    formula_parse_error: false, sample_parse_error: false, truncated_observation_error: false, unresponsive_reward_error: false,
    invalid_variable_error: false, other_error: false, python_grader_server_error: false, python_grader_server_error_type: null,
    python_grader_runtime_error: false, python_grader_runtime_error_details: null, model_grader_server_error: false,
    model_grader_refusal_error: false, model_grader_parse_error: false, model_grader_server_error_details: null,
  };
  if (flag) errors[flag] = true;
  const metadata = { name: "g", type: "python", errors, execution_time: 0.001, scores: {}, token_usage: null, sampled_model_name: null };
  return { line, id: `r${line}`, reward, metadata, sub_rewards: {}, model_grader_token_usage_per_model: {}, ...(error ? { error } : {}) };
}

async function open(page: Page, file: string): Promise<{ requests: string[]; errors: string[] }> {
  const requests: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    requests.push(req.url());
    // Nothing but the document itself may load; anything else is recorded and refused.
    if (req.url().startsWith("file://") && req.url() === pathToFileURL(file).href) void req.continue();
    else void req.abort();
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("requestfailed", (req) => errors.push(`request failed: ${req.url()}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { requests, errors };
}

/** The table's visible rows: the text of their first cell (the line). */
async function tableLines(page: Page): Promise<number[]> {
  return page.$$eval("#row-table tbody tr", (trs) => trs.map((tr) => Number(tr.querySelector("td")!.textContent)));
}

async function chooseFilter(page: Page, tag: string): Promise<void> {
  const value = await page.$eval("#row-table select[data-filter]", (select, t) => Array.from((select as unknown as { options: Array<{ value: string; textContent: string }> }).options).find((o) => o.textContent!.startsWith(`${t} (`))?.value, tag);
  expect(value, `filter option ${tag}`).toBeDefined();
  await page.select("#row-table select[data-filter]", value!);
}

beforeAll(async () => {
  dir = tempDir("graderkit-report-browser-");
  const random = mulberry32(14);
  const flagged = new Set<number>(Object.values(FLAGGED).flat());
  rewards = Array.from({ length: N }, (_, i) => (flagged.has(i + 1) ? 0 : Math.round(random() * 100) / 100));
  // Half the rows full, half compact, as after a resume across versions; written out of order.
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => (a % 2) - (b % 2) || a - b);
  writeLines(dir, "run.jsonl", order.map((i) => runRow(i + 1, rewards[i]!, i % 2 === 1)));
  writeLines(dir, "samples.jsonl", Array.from({ length: N }, (_, i) => ({ id: `r${i + 1}`, item: { answer: `answer ${i + 1}` }, model_sample: `<b>sample ${i + 1}</b> & </script>` })));
  // B: rewards moved so that known rows cross 0.5.
  writeLines(dir, "b.jsonl", rewards.map((r, i) => ({ line: i + 1, id: `r${i + 1}`, reward: i < 10 ? (r >= 0.5 ? 0.1 : 0.9) : r })));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: join(dir, "chromium-profile"),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("graderkit report in chromium", () => {
  let html: string;
  beforeAll(async () => {
    html = join(dir, "report.html");
    const r = await cli(["report", join(dir, "run.jsonl"), "--input", join(dir, "samples.jsonl"), "--threshold", "0.5", "-o", html]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it("loads with no console error and no request but the file", async () => {
    const page = await browser.newPage();
    const { requests, errors } = await open(page, html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]);
    // A sample's markup is text, not markup.
    expect(await page.$$("#row-table tbody b")).toHaveLength(0);
    await page.close();
  });

  it("draws one bar per non-empty bin, filters by flag, sorts, shows a row, and is screenshotted", async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await open(page, html);
    // Expected bars: the bins of 20 equal bins over [0, 1] that hold a reward (the last bin closed).
    const bins = new Set(rewards.map((r) => Math.min(19, Math.floor(r * 20 + 1e-9))));
    expect(await page.$$eval("#reward-histogram g.mark-rect path", (p) => p.length)).toBe(bins.size);

    expect(await tableLines(page)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    for (const [flag, lines] of Object.entries(FLAGGED)) {
      await chooseFilter(page, flag);
      expect(await tableLines(page)).toEqual([...lines]);
    }
    await chooseFilter(page, "any error");
    expect(await tableLines(page)).toEqual([...Object.values(FLAGGED).flat()].sort((a, b) => a - b));
    await page.select("#row-table select[data-filter]", "");
    expect(await tableLines(page)).toHaveLength(N);

    // Sort by reward, descending on the second click.
    const rewardHeader = (await page.$$("#row-table thead th"))[2]!;
    await rewardHeader.click();
    const ascending = await page.$$eval("#row-table tbody tr td:nth-child(3)", (tds) => tds.map((td) => Number(td.textContent)));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await rewardHeader.click();
    const descending = await page.$$eval("#row-table tbody tr td:nth-child(3)", (tds) => tds.map((td) => Number(td.textContent)));
    expect(descending[0]).toBe(Math.max(...rewards));

    // Search, then the row's details.
    await page.type("#row-table input[data-search]", "sample 17<");
    expect(await tableLines(page)).toEqual([17]);
    await page.click("#row-table tbody tr");
    const detail = await page.$eval("#row-table [data-detail]", (el) => ({ hidden: (el as unknown as { hidden: boolean }).hidden, text: el.textContent }));
    expect(detail.hidden).toBe(false);
    expect(detail.text).toContain("sample_parse_error on line 17");
    expect(detail.text).toContain("<b>sample 17</b> & </script>");
    await page.keyboard.press("Escape");
    expect(await page.$eval("#row-table [data-detail]", (el) => (el as unknown as { hidden: boolean }).hidden)).toBe(true);

    const png = join(dir, "report.png");
    await page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(statSync(png).size).toBeGreaterThan(20_000);
    await page.close();
  });

  it("the summary, plots and worst rows read without JavaScript", async () => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await open(page, html);
    const text = await page.$eval("#summary", (el) => el.textContent!);
    expect(text).toContain(`rows${N}`);
    expect(text).toContain("python_grader_runtime_error on line 8");
    expect(await page.$$eval("#reward-histogram g.mark-rect path", (p) => p.length)).toBeGreaterThan(0);
    expect(await page.$$eval("#worst-rows tbody tr", (trs) => trs.length)).toBe(20);
    expect(await page.$eval("#row-table [data-needs-script]", (el) => (el as unknown as { hidden: boolean }).hidden)).toBe(true);
    await page.close();
  });
});

describe("graderkit diff -o in chromium", () => {
  it("loads cleanly and filters the rows that cross the threshold", async () => {
    const html = join(dir, "diff.html");
    const r = await cli(["diff", join(dir, "run.jsonl"), join(dir, "b.jsonl"), "--input", join(dir, "samples.jsonl"), "-o", html, "--resamples", "200"]);
    expect(r.code, r.stderr).toBe(0);
    const page = await browser.newPage();
    const { requests, errors } = await open(page, html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]);
    const passToFail = rewards.flatMap((rw, i) => (i < 10 && rw >= 0.5 ? [i + 1] : []));
    const failToPass = rewards.flatMap((rw, i) => (i < 10 && rw < 0.5 ? [i + 1] : []));
    await chooseFilter(page, "pass → fail");
    expect(await tableLines(page)).toEqual(passToFail);
    await chooseFilter(page, "fail → pass");
    expect(await tableLines(page)).toEqual(failToPass);
    for (const id of ["a-histogram", "b-histogram", "delta-histogram", "pair-heatmap"]) expect(await page.$(`#${id} svg`), id).not.toBeNull();
    await page.screenshot({ path: join(dir, "diff.png"), fullPage: true });
    expect(existsSync(join(dir, "diff.png"))).toBe(true);
    await page.close();
  });
});

describe("graderkit calibrate -o in chromium", () => {
  it("loads cleanly: ROC and precision-recall curves, the confusion of the JSON", async () => {
    const labels = writeLines(dir, "labels.jsonl", rewards.map((r, i) => ({ id: `r${i + 1}`, label: (r > 0.4) !== (i % 7 === 0) ? 1 : 0 })));
    const html = join(dir, "calibrate.html");
    const r = await cli(["calibrate", join(dir, "run.jsonl"), "--labels", labels, "--json", "-o", html, "--include-errors"]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    const page = await browser.newPage();
    const { requests, errors } = await open(page, html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]);
    for (const id of ["roc-curve", "pr-curve", "rewards-label-1", "rewards-label-0"]) expect(await page.$(`#${id} svg`), id).not.toBeNull();
    const confusion = await page.$$eval("#confusion tbody td.num", (tds) => tds.map((td) => Number(td.textContent)));
    const { tp, fn, fp, tn } = body.at_threshold.confusion;
    expect(confusion).toEqual([tp, fn, fp, tn]);
    await page.close();
  });
});
