"""`python -m bmnav`."""

from .cli import main

main()
