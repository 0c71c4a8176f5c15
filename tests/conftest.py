"""Shared test set-up: hypothesis profiles (CI runs more examples, deterministically)."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=500, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
