"""`python -m bmnav`."""

from bmnav.cli.entry import main

main()
