"""``python -m govtext`` runs the command line."""

import sys

from govtext.cli import main

sys.exit(main())
