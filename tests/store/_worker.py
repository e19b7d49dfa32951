"""One of several processes writing to one workspace at once (run by test_concurrency)."""

from __future__ import annotations

import sys
from pathlib import Path

from barium.errors import Conflict
from barium.services import Barium


def main(home: str, role: str, rounds: int) -> None:
    conflicts = 0
    with Barium.open(home) as b:
        for i in range(rounds):
            try:
                if role == "versions":
                    b.documents.update(1, f"Version text {i} from process {os_id()}. " * 20)
                elif role == "issue":
                    b.issuing.issue(1, all_recipients=True, out=Path(home) / f"copies-{os_id()}")
                elif role == "recipients":
                    b.recipients.add(f"Writer {os_id()} {i}", email=f"w{os_id()}-{i}@example.org")
                elif role == "trace":
                    b.tracing.trace(b.documents.master_text(1, version=1))
            except Conflict:
                conflicts += 1  # allowed: a clear, retryable refusal (never a raw driver error)
    print(conflicts)


def os_id() -> int:
    import os

    return os.getpid()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
