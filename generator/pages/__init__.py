"""Stage 5, render: one typed context per page kind, the Jinja2 templates, and the
schema as published. Imports `model` and `analysis`.
"""
