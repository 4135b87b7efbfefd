"""The step test's load shape for locust, run by `bench/load step` beside bench/locustfile.py.

Adds BENCH_STEP_USERS readers every BENCH_STEP_SECONDS until a step ends with errors or with a
p95 over BENCH_STEP_P95_MS (the breaking point), or BENCH_STEP_MAX users have had their step.
Each finished step is written to BENCH_STEP_REPORT as JSON for bench/load to print.
"""

import json
import os

from locust import LoadTestShape


class StepShape(LoadTestShape):
    step_users = int(os.environ.get("BENCH_STEP_USERS", "50"))
    step_seconds = float(os.environ.get("BENCH_STEP_SECONDS", "20"))
    max_users = int(os.environ.get("BENCH_STEP_MAX", "1000"))
    p95_limit_ms = float(os.environ.get("BENCH_STEP_P95_MS", "1000"))
    report = os.environ.get("BENCH_STEP_REPORT", "")

    def __init__(self):
        super().__init__()
        self.steps = []
        self.failures_before = 0
        self.requests_before = 0
        self.broke = False

    def tick(self):
        step = int(self.get_run_time() // self.step_seconds)
        if step > len(self.steps):
            self._finish_step()
        users = (step + 1) * self.step_users
        if self.broke or users > self.max_users:
            return None
        # Each step's users arrive over its first quarter.
        return users, max(1.0, self.step_users / (self.step_seconds / 4))

    def _finish_step(self):
        total = self.runner.stats.total
        failures = total.num_failures - self.failures_before
        requests = total.num_requests - self.requests_before
        self.failures_before, self.requests_before = total.num_failures, total.num_requests
        p95 = total.get_current_response_time_percentile(0.95) or 0
        p99 = total.get_current_response_time_percentile(0.99) or 0
        self.steps.append(
            {
                "users": self.runner.user_count,
                "requests": requests,
                "per_second": round(requests / self.step_seconds, 1),
                "p95_ms": p95,
                "p99_ms": p99,
                "errors": failures,
            }
        )
        self.broke = failures > 0 or p95 > self.p95_limit_ms
        if self.report:
            with open(self.report, "w") as file:
                json.dump({"steps": self.steps, "broke": self.broke}, file)
