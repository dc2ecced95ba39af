"""The platform's settings as served, with bench/floor.py as the URLconf (bench_scan.py)."""

from ocop.settings import *  # noqa: F403

ROOT_URLCONF = "floor"
