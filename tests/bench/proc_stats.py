"""What /proc says of a process: the memory and CPU figures the bench scripts measure a server by."""
import os
import re


def pss_kib(pid: int) -> int:
    """The process's proportional set size, in KiB (what the shared harness counts)."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return int(re.search(r"^Pss:\s+(\d+)", f.read(), re.M).group(1))


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, user and system, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
