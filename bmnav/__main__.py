"""`python -m bmnav`."""

from bmnav.entry import main

main()
