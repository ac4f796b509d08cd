"""Contributor commands beside the pipeline: scaffold a challenge or a post, export the
schema-derived files, print the taxonomy with counts.
"""
