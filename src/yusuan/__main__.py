"""``python -m yusuan``: the same as the ``yusuan`` command."""

import sys

from yusuan.cli import main

sys.exit(main())
