import sys

from guanxi.cli import main

sys.exit(main())
