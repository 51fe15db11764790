"""`python -m portal …`: see ``portal.cli.main``."""
import sys

from portal.cli.main import main

sys.exit(main())
