"""`python -m dlcore`: the command-line interface."""

from dlcore.cli import main

raise SystemExit(main())
