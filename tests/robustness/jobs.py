"""Jobs for the worker tests: module-level, so a spawned worker can import them."""

from __future__ import annotations

import os
import time


def echo(shared: object, value: object) -> tuple[object, object, int]:
    return shared, value, os.getpid()


def misbehave(shared: object, how: str) -> object:
    if how == "raise":
        raise ValueError("a bad value")
    if how == "abort":
        os.abort()
    if how == "exit":
        os._exit(3)
    if how == "hang":
        time.sleep(60)
    if how == "hoard":
        hoard = [bytearray(64 << 20) for _ in range(64)]  # 4 GiB
        return len(hoard)
    return how


def address_limit(shared: object) -> tuple[int, int]:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)
