"""The catalog's data model: the schema of every input file, and the validated `Catalog`.

The bottom layer: imports nothing of the generator but `errors` and `settings`.
"""
