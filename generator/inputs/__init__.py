"""Stages 1 and 2, load and validate: every input file read, checked, and turned into a
`Catalog`, or every problem reported at once. Imports `model` only.
"""
