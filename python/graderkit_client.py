"""Rewards from a graderkit reward server, for RL trainers (standard library only).

Start a server with named graders::

    graderkit serve --grader accuracy=graders/exact-answer.json

then, in the trainer's process::

    from graderkit_client import rewards, trl_reward_func, verl_compute_score

    rewards("http://127.0.0.1:8787", "accuracy", [{"item": {"answer": "144"}, "model_sample": "144"}])
    # -> [1.0]

    GRPOTrainer(..., reward_funcs=[trl_reward_func("http://127.0.0.1:8787", "accuracy")])  # TRL
    compute_score = verl_compute_score("http://127.0.0.1:8787", "accuracy")              # verl

Rows are sent in batches (``batch_size``, several at once: ``concurrency``); a 429, a 5xx or a
connection error is retried with exponential backoff (the server's ``Retry-After`` when it sends
one). Grading is deterministic, so a retry returns the same rewards; after a 504 the server keeps
the result of the same request for the retry. The key, when the server has one, is ``api_key`` or
``$GRADERKIT_SERVER_KEY``.
"""

import json
import os
import random
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

__all__ = ["GraderkitError", "grade", "rewards", "trl_reward_func", "verl_compute_score"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# What TRL passes a reward function besides the dataset's columns: not item fields.
TRL_ARGUMENTS = frozenset({"prompts", "completions", "completion_ids", "trainer_state", "log_extra", "log_metric"})


class GraderkitError(Exception):
    """The server refused the request (a 4xx other than 429), or it failed after every retry."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


def _endpoint(url, path):
    base = url.rstrip("/")
    if base.endswith("/v1"):
        base = base[: -len("/v1")]
    return base + path


def _retry_delay(attempt, backoff, retry_after):
    if retry_after is not None:
        try:
            return min(60.0, max(0.0, float(retry_after)))
        except ValueError:
            pass
    # Exponential with jitter: many trainer workers retrying at once do not come back together.
    return min(30.0, backoff * (2 ** attempt)) * (0.5 + random.random() / 2)


def _post(url, body, api_key, timeout, max_retries, backoff):
    data = json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    key = api_key if api_key is not None else os.environ.get("GRADERKIT_SERVER_KEY")
    if key:
        headers["Authorization"] = "Bearer " + key
    last = None
    for attempt in range(max_retries + 1):
        retry_after = None
        try:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            text = err.read().decode("utf-8", "replace")
            try:
                message = json.loads(text)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = text
            last = GraderkitError("graderkit server answered %d: %s" % (err.code, message), err.code, text)
            if err.code not in RETRY_STATUSES:
                raise last from None
            retry_after = err.headers.get("Retry-After")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = GraderkitError("graderkit server unreachable at %s: %s" % (url, getattr(err, "reason", err)))
        if attempt < max_retries:
            time.sleep(_retry_delay(attempt, backoff, retry_after))
    raise GraderkitError("%s (after %d attempts)" % (last, max_retries + 1), getattr(last, "status", None), getattr(last, "body", None))


def grade(url, grader, rows, format="compact", batch_size=256, concurrency=4, api_key=None, timeout=180.0, max_retries=5, backoff=0.5):
    """POST /v1/rewards: ``{"rewards": [...], "rows": [...]}`` for ``rows``, in order.

    ``grader`` is a name the server was started with (``--grader NAME=FILE``) or grader JSON (a
    dict). Each row is ``{"item": {...}, "model_sample": "..."}`` or ``{"item": ..., "sample": {...}}``.
    A row whose grading failed has reward 0 and its error flags in its row, as in ``graderkit run``.
    """
    rows = list(rows)
    endpoint = _endpoint(url, "/v1/rewards")
    batches = [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]

    def send(batch):
        return _post(endpoint, {"grader": grader, "rows": batch, "format": format}, api_key, timeout, max_retries, backoff)

    if len(batches) <= 1 or concurrency <= 1:
        answers = [send(b) for b in batches]
    else:
        with ThreadPoolExecutor(max_workers=min(concurrency, len(batches))) as pool:
            answers = list(pool.map(send, batches))
    return {"rewards": [r for a in answers for r in a["rewards"]], "rows": [r for a in answers for r in a["rows"]]}


def rewards(url, grader, rows, **options):
    """The reward of each row, in order (a list of floats). Options as for ``grade``."""
    return [float(r) for r in grade(url, grader, rows, **options)["rewards"]]


def _plain(value):
    """A JSON-ready value: numpy and torch scalars and arrays become Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _message_text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        # Content parts: the text ones, in order.
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type", "text") == "text")
    return "" if content is None else str(content)


def completion_text(completion):
    """A TRL completion as text: the string itself, or for a conversational completion (a list of
    ``{"role", "content"}`` messages) the content of its last assistant message."""
    if isinstance(completion, str):
        return completion
    messages = list(completion or [])
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "assistant":
            return _message_text(message.get("content"))
    return _message_text(messages[-1].get("content")) if messages and isinstance(messages[-1], dict) else ""


def trl_reward_func(url, grader_name, item_columns=None, **options):
    """A reward function for TRL's ``GRPOTrainer(reward_funcs=[...])``.

    TRL calls it with ``prompts``, ``completions`` and every dataset column but ``prompt`` as
    keyword arguments (lists aligned with the completions). Each completion is graded as
    ``sample.output_text``; ``item`` holds the row's columns (those in ``item_columns``, else all).
    Returns one float per completion. Options as for ``grade``.
    """

    def reward_func(prompts=None, completions=None, **kwargs):
        completions = list(completions or [])
        columns = {k: v for k, v in kwargs.items() if k not in TRL_ARGUMENTS}
        names = list(item_columns) if item_columns is not None else list(columns)
        missing = [n for n in names if n not in columns]
        if missing:
            raise GraderkitError("item_columns %s are not dataset columns (TRL passed: %s)" % (missing, sorted(columns)))
        rows = []
        for i, completion in enumerate(completions):
            item = {n: _plain(columns[n][i]) for n in names}
            rows.append({"item": item, "model_sample": completion_text(completion)})
        return rewards(url, grader_name, rows, **options)

    # TRL names each reward in its logs by the function's __name__.
    reward_func.__name__ = "graderkit_" + "".join(c if c.isalnum() else "_" for c in grader_name)
    return reward_func


def verl_compute_score(url, grader_name, **options):
    """verl's ``custom_reward_function``: ``compute_score(data_source, solution_str, ground_truth,
    extra_info=None) -> float``, and, called by verl's batch reward manager with
    ``data_sources=, solution_strs=, ground_truths=, extra_infos=``, a list of floats.

    ``sample.output_text`` is ``solution_str``; ``item`` is ``{"ground_truth": ground_truth,
    "data_source": data_source, **extra_info}``. Options as for ``grade``.
    """

    def row(data_source, solution_str, ground_truth, extra_info):
        item = {"ground_truth": _plain(ground_truth), "data_source": _plain(data_source)}
        item.update(_plain(extra_info) if isinstance(extra_info, dict) else {})
        return {"item": item, "model_sample": solution_str}

    def compute_score(data_source=None, solution_str=None, ground_truth=None, extra_info=None, data_sources=None, solution_strs=None, ground_truths=None, extra_infos=None, **_ignored):
        if solution_strs is not None:
            n = len(solution_strs)
            data_sources = list(data_sources) if data_sources is not None else [None] * n
            ground_truths = list(ground_truths) if ground_truths is not None else [None] * n
            extra_infos = list(extra_infos) if extra_infos is not None else [None] * n
            rows = [row(data_sources[i], solution_strs[i], ground_truths[i], extra_infos[i]) for i in range(n)]
            return rewards(url, grader_name, rows, **options)
        return rewards(url, grader_name, [row(data_source, solution_str, ground_truth, extra_info)], **options)[0]

    return compute_score
