"""Reads one Metaflow run through Metaflow's own client API and prints it as the parity
harness's JSON (the same shape test/parity/harness/extractStepwise.ts builds for Stepwise).

Usage: python3 extract_metaflow.py FLOW RUN_ID   (with Metaflow on PYTHONPATH, local datastore
and metadata, run in the folder whose .metaflow/ holds the run).
"""
import json
import math
import sys

from metaflow import Run, namespace

# Metaflow's own bookkeeping, not the flow's data: `name` is the flow's name, stored as an
# artifact of every task (Stepwise keeps it in the run record: current.flowName).
SKIPPED = {"name"}


def plain(value, depth=0):
    """(True, json_value) for plain data, else (False, type name)."""
    if depth > 50:
        return False, "deep"
    if value is None or isinstance(value, (bool, str)):
        return True, value
    if isinstance(value, int):
        return True, value
    if isinstance(value, float):
        return (True, value) if math.isfinite(value) else (False, "float " + repr(value))
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            ok, j = plain(v, depth + 1)
            if not ok:
                return False, j
            out.append(j)
        return True, out
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                return False, "dict with %s keys" % type(k).__name__
            ok, j = plain(v, depth + 1)
            if not ok:
                return False, j
            out[k] = j
        return True, out
    return False, type(value).__name__


def foreach_path(task):
    try:
        stack = task["_foreach_stack"].data
    except Exception:
        return []
    return [frame.index for frame in stack]


def exception_text(task):
    try:
        exc = task.exception
    except Exception:
        return None
    if exc is None:
        return None
    return str(exc)


def task_record(task):
    artifacts = {}
    unplain = {}
    for artifact in task:
        name = artifact.id
        if name.startswith("_") or name in SKIPPED:
            continue
        try:
            ok, value = plain(artifact.data)
        except Exception as e:  # an artifact that cannot be loaded here (a missing module)
            ok, value = False, "unloadable: %s" % type(e).__name__
        if ok:
            artifacts[name] = value
        else:
            unplain[name] = value
    exception = None if task.successful else exception_text(task)
    # Metaflow's client calls a task that raised "not finished"; a task that raised has failed.
    if task.successful:
        status = "succeeded"
    elif exception is not None or task.finished:
        status = "failed"
    else:
        status = "unfinished"
    return {
        "step": task.parent.id,
        "foreach": foreach_path(task),
        "status": status,
        "cloned": bool(task.origin_pathspec),
        "artifacts": artifacts,
        "unplain": unplain,
        "exception": exception,
    }


def main():
    flow, run_id = sys.argv[1], sys.argv[2]
    namespace(None)
    run = Run("%s/%s" % (flow, run_id))
    tasks = []
    for step in run:
        for task in step:
            tasks.append(task_record(task))
    json.dump({"flow": flow, "tasks": tasks}, sys.stdout)


if __name__ == "__main__":
    main()
