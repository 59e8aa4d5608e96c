"""`python -m healer` behaves exactly like the `healer` command."""

import sys

from healer.cli import main

sys.exit(main())
