"""The query pool's fork server dies with the server that started it.

multiprocessing gives every process forked from the fork server the write end of the pipe by
which the fork server learns that the server is gone, so while one worker lives (say, stuck in
a long query), the fork server never learns it, and neither ends. This module is in the fork
server's preload list and nowhere else: importing it there asks the kernel to kill the fork
server when its parent, the server, ends; each worker in turn dies with the fork server
(`sandbox.die_with_parent`).
"""

from __future__ import annotations

import os
import sys

from coopgraph.sparql import sandbox

if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:  # only in the fork server itself
    sandbox.die_with_parent(os.getppid())
