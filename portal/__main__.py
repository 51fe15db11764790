"""`python -m portal …`: see ``portal.cli.main``."""
from portal.cli.main import leave, main

leave(main())
