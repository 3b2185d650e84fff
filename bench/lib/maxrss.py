# Runs a command and reports its peak resident set size (ru_maxrss of wait4, in KiB) on
# file descriptor 3, the exact figure the kernel keeps. SIGINT and SIGTERM sent to this
# wrapper are passed on to the command, so it can be stopped the way a user stops it.
import os, signal, sys

pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
for s in (signal.SIGINT, signal.SIGTERM):
    signal.signal(s, lambda signum, frame: os.kill(pid, signum))
while True:
    try:
        _, status, usage = os.wait4(pid, 0)
        break
    except InterruptedError:
        continue
os.write(3, f"{usage.ru_maxrss}\n".encode())
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
