import sys

from cablegram.cli import main

# guarded: a worker process started by spawn or forkserver imports this module again (as __mp_main__),
# and must not run a build of its own
if __name__ == "__main__":
    sys.exit(main())
