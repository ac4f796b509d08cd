"""`python -m generator …` is the same command as `catalog …`."""

from .cli import main

main(prog_name="catalog")
