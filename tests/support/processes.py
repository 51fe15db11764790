"""Process numbers for tests."""
from __future__ import annotations

import subprocess
import sys


def dead_pid() -> int:
    """The number of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)
