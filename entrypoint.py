"""The Docker action's entry point: run the action and exit with its code."""

import sys

from healer.runner.pipeline import main

if __name__ == "__main__":
    sys.exit(main())
