"""Temporal workflows calling the thrive-temporal activities by name.

The activities run in the Rust worker (`thrive-temporal`); these workflows
run in this Python worker (`temporalio` from PyPI, pinned in
requirements.txt). Both poll the same task queue: Temporal hands workflow
tasks to this process and activity tasks to the Rust one.

    python workflows.py --address 127.0.0.1:7233 --namespace default --task-queue thrive

- RunTool: one tool call; returns {"output": ...} or, when the activity
  failed for good, {"failure": {"type", "nonRetryable", "details", ...}}.
- CreateUsers: a list of thrive_create_user inputs, one activity each.
- AudienceSync: the member sync: sync_plan, then one sync_step per step.
  Start it with the id `thrive-sync-<tenantId>`: the server refuses a second
  running workflow with the same id, so one sync per tenant runs at a time
  and the tenant's sync writes are serialised.
- ThriveGate: one per tenant (id `thrive-gate-<tenantId>`), the shared 429
  gate: the activities close it (signal `close`) and read it from its history;
  people query it (`gate_until`).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

# Retry until success or a non-retryable failure (a 4xx): the activity sets
# `next_retry_delay` after a 429 (the tenant's gate), so these numbers only
# pace 5xx and transport errors.
RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)
# A worker that dies is noticed when its heartbeats stop: the activity is
# then retried, on any worker.
HEARTBEAT = timedelta(seconds=3)


def activity_options() -> dict[str, Any]:
    return {
        "start_to_close_timeout": timedelta(minutes=10),
        "heartbeat_timeout": HEARTBEAT,
        "retry_policy": RETRY,
    }


def failure_of(err: ActivityError) -> dict[str, Any]:
    cause = err.cause
    out: dict[str, Any] = {"retryState": err.retry_state.name if err.retry_state else None}
    if isinstance(cause, ApplicationError):
        out.update(
            type=cause.type,
            nonRetryable=cause.non_retryable,
            message=cause.message,
            details=list(cause.details),
        )
    else:
        out.update(type=type(cause).__name__, message=str(cause))
    return out


@workflow.defn(name="RunTool")
class RunTool:
    @workflow.run
    async def run(self, call: dict[str, Any]) -> dict[str, Any]:
        try:
            output = await workflow.execute_activity("run_tool", call, **activity_options())
        except ActivityError as err:
            return {"failure": failure_of(err)}
        return {"output": output}


@workflow.defn(name="CreateUsers")
class CreateUsers:
    def __init__(self) -> None:
        self.done = 0

    @workflow.run
    async def run(self, users: list[dict[str, Any]]) -> list[str]:
        ids = []
        for user in users:
            out = await workflow.execute_activity(
                "run_tool", {"tool": "thrive_create_user", "input": user}, **activity_options()
            )
            ids.append(out["user"]["id"])
            self.done += 1
        return ids

    @workflow.query
    def progress(self, _arg: Any = None) -> int:
        return self.done


@workflow.defn(name="AudienceSync")
class AudienceSync:
    def __init__(self) -> None:
        self.state = {"phase": "planning", "done": 0, "total": 0}

    @workflow.run
    async def run(self, req: dict[str, Any]) -> dict[str, Any]:
        audience = req["audienceId"]
        plan = await workflow.execute_activity(
            "sync_plan", {"audienceId": audience, "users": req["users"]}, **activity_options()
        )
        steps = plan.pop("steps")
        self.state = {"phase": "running", "done": 0, "total": len(steps)}
        report = dict(plan, added=0, removed=0, alreadyAbsent=0, failed=0, failures=[])
        for step in steps:
            outcome = await workflow.execute_activity(
                "sync_step", {"audienceId": audience, "step": step}, **activity_options()
            )
            for key in ("added", "removed", "alreadyAbsent"):
                report[key] += outcome.get(key, 0)
            report["failures"] += outcome.get("failures", [])
            report["failed"] = len(report["failures"])
            self.state["done"] += 1
        self.state["phase"] = "done"
        return report

    @workflow.query
    def progress(self, _arg: Any = None) -> dict[str, Any]:
        return self.state


@workflow.defn(name="ThriveGate")
class ThriveGate:
    def __init__(self) -> None:
        self.until = 0
        self.closes = 0

    @workflow.run
    async def run(self, state: dict[str, Any]) -> None:
        self.until = max(self.until, int((state or {}).get("until", 0)))
        await workflow.wait_condition(
            lambda: self.closes >= 1000 or workflow.info().is_continue_as_new_suggested()
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new({"until": self.until})

    @workflow.signal
    def close(self, until: int) -> None:
        self.until = max(self.until, int(until))
        self.closes += 1

    @workflow.query
    def gate_until(self, _arg: Any = None) -> int:
        return self.until


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1:7233")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--task-queue", required=True)
    args = parser.parse_args()
    client = await Client.connect(args.address, namespace=args.namespace)
    worker = Worker(
        client,
        task_queue=args.task_queue,
        workflows=[RunTool, CreateUsers, AudienceSync, ThriveGate],
    )
    print(f"workflow worker on {args.task_queue}", flush=True)
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
