import sys

from steerco.cli import main

sys.exit(main())
