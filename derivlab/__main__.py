import sys

from derivlab.cli import main

sys.exit(main())
